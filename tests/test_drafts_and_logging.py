import logging
import sys

from shop_desk import drafts, logsetup


def test_draft_roundtrip_and_pending():
    drafts.save("reception/new", "接车 京A12345", {"plate": "京A12345", "complaint": "异响"})
    drafts.save("inspection/7", "Inspection", {"fuel": 50})
    got = drafts.load("reception/new")
    assert got.data == {"plate": "京A12345", "complaint": "异响"} and got.title == "接车 京A12345"
    assert {d.key for d in drafts.pending()} == {"reception/new", "inspection/7"}
    drafts.discard("reception/new")
    assert drafts.load("reception/new") is None
    assert [d.key for d in drafts.pending()] == ["inspection/7"]


def test_unexpected_error_is_logged_with_traceback_and_shown():
    path = logsetup.setup_logging()
    shown = []
    old = sys.excepthook
    try:
        logsetup.install_excepthook(lambda msg, log: shown.append((msg, log)))
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old
    for h in logging.getLogger("shop_desk").handlers:
        h.flush()
    text = path.read_text(encoding="utf-8")
    assert "boom in a slot" in text and "Traceback" in text
    assert shown and shown[0][0] == "RuntimeError: boom in a slot"


def test_a_process_whose_data_folder_moved_logs_into_the_new_folder(tmp_path, monkeypatch):
    """The log follows SHOP_DESK_DATA_DIR: a second shop opened in the same process (a test
    after an end-to-end walk, a restore into another folder) does not write into the first."""
    monkeypatch.setenv("SHOP_DESK_DATA_DIR", str(tmp_path / "first"))
    first = logsetup.setup_logging()
    monkeypatch.setenv("SHOP_DESK_DATA_DIR", str(tmp_path / "second"))
    second = logsetup.setup_logging()
    assert second != first and second.parent.parent == tmp_path / "second"
    logging.getLogger("shop_desk.test").warning("written after the move")
    for h in logging.getLogger("shop_desk").handlers:
        h.flush()
    assert "written after the move" in second.read_text(encoding="utf-8")
    assert "written after the move" not in first.read_text(encoding="utf-8")

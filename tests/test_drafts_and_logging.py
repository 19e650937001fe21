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

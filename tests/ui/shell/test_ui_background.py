"""Background reads: the newest request wins, failures reach the user in plain words."""

from __future__ import annotations

import threading

from shop_desk.ui.shell.background import LatestRead, wait_for_jobs


def test_an_older_slow_read_never_overwrites_the_newest(qtbot):
    reader = LatestRead("The list")
    release = threading.Event()
    got: list[object] = []
    reader.ready.connect(got.append)
    reader.start(lambda _p: release.wait(10) and "old")
    with qtbot.waitSignal(reader.ready, timeout=5000):
        reader.start(lambda _p: "new")
    assert got == ["new"] and not reader.busy
    release.set()
    assert wait_for_jobs(5000)
    assert got == ["new"]  # the old answer arrived and was dropped


def test_a_failed_read_says_what_to_do_not_the_exception(qtbot):
    reader = LatestRead("The service reminders")

    def broken(_progress):
        raise RuntimeError("no such column: t1.secret_detail")

    with qtbot.waitSignal(reader.failed, timeout=5000) as blocker:
        reader.start(broken)
    message = blocker.args[0]
    assert message.startswith("The service reminders could not be read just now. Press F5")
    assert "secret_detail" not in message
    assert not reader.busy


def test_progress_of_the_newest_read_only(qtbot):
    reader = LatestRead("The report")
    seen: list[tuple[int, int]] = []
    reader.progress.connect(lambda d, t: seen.append((d, t)))

    def counting(progress):
        for i in range(1, 4):
            progress(i, 3)
        return "done"

    with qtbot.waitSignal(reader.ready, timeout=5000):
        reader.start(counting)
    assert seen == [(1, 3), (2, 3), (3, 3)]

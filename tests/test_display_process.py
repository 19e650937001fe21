"""Two processes on one database file: a dispatch committed by another process shows on the
running workshop display within two seconds."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from factories import make_order
from shop_desk.models import Team
from shop_desk.states import State
from shop_desk.ui.workshop.display import DisplayWindow

OTHER_STATION = textwrap.dedent(
    """
    import sys
    from shop_desk.db import close_database, open_database
    from shop_desk.models import Staff, Team
    from shop_desk.services import workshop

    open_database(sys.argv[1], migrate=False)
    supervisor = Staff.get(Staff.login == "supervisor")
    team = Team.get(Team.name.startswith("电工组"))
    workshop.dispatch(supervisor, int(sys.argv[2]), team.id, priority=1)
    close_database()
    print("dispatched")
    """
)


def test_a_commit_by_another_process_shows_within_two_seconds(qtbot, db, db_path):
    order = make_order(State.AWAITING_DISPATCH)
    window = DisplayWindow(db_path)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    assert [c.state for c in window.cards] == ["awaiting_dispatch"]
    reads = window.reads

    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", OTHER_STATION, str(db_path), str(order.id)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "dispatched" in done.stdout

    team = Team.get(Team.name.startswith("电工组")).name

    def shows_the_dispatch() -> bool:
        window.grab()
        return window.cards[0].state == "in_progress" and team in window.painted_texts

    qtbot.waitUntil(shows_the_dispatch, timeout=2000)
    assert window.reads == reads + 1  # one read for the one commit
    assert not window.reconnecting

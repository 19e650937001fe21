"""The front-desk PC of a walk and the calendar of days the walks run on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from driver import Desk

from shop_desk import clock

#: Days the walks run on: every weekday (a Sunday among them), a month end, a year end and
#: 29 February. Walks take their day as a parameter and never read the machine's date.
CALENDAR = {
    "mon": dt.date(2026, 11, 2),
    "tue": dt.date(2026, 11, 3),
    "wed": dt.date(2026, 11, 4),
    "thu": dt.date(2026, 11, 5),
    "fri": dt.date(2026, 11, 6),
    "sat": dt.date(2026, 11, 7),
    "sun": dt.date(2026, 11, 8),
    "month-end": dt.date(2026, 11, 30),
    "year-end": dt.date(2026, 12, 31),
    "leap-day": dt.date(2028, 2, 29),
}


class Shop(Desk):
    """The front-desk PC of a walk, with its day: :meth:`at` moves the shop's clock on."""

    def __init__(self, qtbot, lang: str, day: dt.date, db_file: Path) -> None:  # noqa: ANN001
        super().__init__(qtbot, lang)
        self.day = day
        self.db_file = db_file
        self.startup = None

    def close_for_the_night(self) -> None:
        """Close shop-desk: its main window and the database."""
        self.close(self.window)
        self.startup.close()
        self.window = None

    def at(self, hhmm: str, day: dt.date | None = None) -> None:
        """The shop's clock reads ``hhmm`` on ``day`` (the walk's day by default)."""
        hours, minutes = map(int, hhmm.split(":"))
        clock.set_now(dt.datetime.combine(day or self.day, dt.time(hours, minutes)))

    def open_login(self):  # noqa: ANN201 - the login dialog
        """Start shop-desk on the walk's database, up to its login window (built, not shown)."""
        from PySide6.QtWidgets import QDialog

        from shop_desk.app import Startup

        self.startup = Startup(str(self.db_file), self.lang)
        dialog = self.startup.begin()
        assert isinstance(dialog, QDialog), f"shop-desk did not start: exit code {dialog}"
        return dialog

    def start(self, first: str, dialog=None) -> None:  # noqa: ANN001
        """Start shop-desk on the walk's database (or go on from :meth:`open_login`'s
        ``dialog``) and let ``first`` sign in."""
        from PySide6.QtWidgets import QDialog

        dialog = dialog or self.open_login()
        dialog.show()
        self.qtbot.waitExposed(dialog)
        # the database opens behind the painted window, and the list is put right from it
        self.qtbot.waitUntil(lambda: self.startup.opened, timeout=10_000)
        self.sign_in(first)
        self.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
        window = self.startup.finish(dialog.result() == QDialog.DialogCode.Accepted)
        assert not isinstance(window, int), f"shop-desk stopped with exit code {window}"
        self.window = window
        self.qtbot.waitExposed(window)

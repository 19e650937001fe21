"""Render every window, page and dialog of the GUI to PNG files (works offscreen).

    QT_QPA_PLATFORM=offscreen uv run python -m shop_desk.ui.shots.screenshots OUTDIR --db FILE [--lang zh_CN]

Used to review the screens in both languages without a display. Pages registered in the
main window are rendered automatically (a page may offer ``screenshot_views()``: a list of
``(suffix, activate)`` pairs for its tabs or states); other dialogs are added with
:func:`register_screenshot`.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from shop_desk import db as dbmod
from shop_desk import i18n
from shop_desk.models import Customer, RepairOrder, Staff, StaffRole, Vehicle
from shop_desk.roles import Role


@dataclass
class ShotContext:
    """What a screenshot function gets: the open main window and a ``save`` callback."""

    window: object  # MainWindow
    staff: Staff
    outdir: Path
    saved: list[Path] = field(default_factory=list)

    def save(self, name: str, what: QWidget | QPixmap) -> Path:
        return _save(self, name, what)


_EXTRA: dict[str, Callable[[ShotContext], None]] = {}


def register_screenshot(name: str, fn: Callable[[ShotContext], None]) -> None:
    """Add a dialog or state of a later screen: ``fn(ctx)`` opens it and calls ``ctx.save``."""
    _EXTRA[name] = fn


def load_staging_modules() -> None:
    """Import every staging module of this package (``shots/<area>.py``): each registers its
    screens with :func:`register_screenshot`; the pages themselves know nothing of it."""
    import importlib
    import pkgutil

    from shop_desk.ui import shots

    for module in pkgutil.iter_modules(shots.__path__):
        if module.name != "screenshots":
            importlib.import_module(f"{shots.__name__}.{module.name}")


def settle(rounds: int = 5) -> None:
    app = QApplication.instance()
    for _ in range(rounds):
        app.processEvents()


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def _save(ctx: ShotContext, name: str, what: QWidget | QPixmap) -> Path:
    if isinstance(what, QWidget):
        if not what.isVisible():
            what.show()
        settle()
        pixmap = what.grab()
    else:
        pixmap = what
    path = ctx.outdir / f"{_safe(name)}.png"
    pixmap.save(str(path))
    ctx.saved.append(path)
    return path


def _shot_dialog(ctx: ShotContext, name: str, dialog: QWidget) -> None:
    dialog.show()
    settle()
    ctx.save(name, dialog)
    dialog.close()
    dialog.deleteLater()
    settle()


def shoot_and_reject(ctx: ShotContext, name: str, dialog: QWidget) -> None:
    """Show a staging's dialog, save it and reject it (it saves nothing)."""
    dialog.show()
    settle()
    ctx.save(name, dialog)
    dialog.reject()
    settle()


def shoot_and_close(ctx: ShotContext, name: str, dialog: QWidget) -> None:
    """Show a staging's dialog, save it and close it."""
    dialog.show()
    settle()
    ctx.save(name, dialog)
    dialog.close()
    settle()


class ShotWindows:
    """Main windows a staging opens for its people (1280×800, shown), all closed again at
    its end once the background jobs are done."""

    def __init__(self) -> None:
        self.windows: list[QWidget] = []

    def open(self, person: Staff) -> Any:
        from shop_desk.ui.shell.main_window import MainWindow

        window = MainWindow(person)
        window.resize(1280, 800)
        window.show()
        self.windows.append(window)
        settle()
        return window

    def close_all(self) -> None:
        from shop_desk.ui.shell.background import wait_for_jobs

        wait_for_jobs()
        settle()
        for window in self.windows:
            window.close()
            window.deleteLater()
        settle()


def staff_with(role: Role | str, login: str | None = None) -> Staff | None:
    """The person a staging acts as: ``login`` when they hold ``role``, else the first
    active person holding it (None when nobody does)."""
    value = role.value if isinstance(role, Role) else role
    if login:
        found = Staff.get_or_none((Staff.login == login) & (Staff.active == True))  # noqa: E712
        if found is not None and value in found.role_set():
            return found
    return (
        Staff.select()
        .join(StaffRole)
        .where((StaffRole.role == value) & (Staff.active == True))  # noqa: E712
        .order_by(Staff.id)
        .first()
    )


def _pick_staff() -> Staff:
    for role in ("admin", "manager"):
        row = staff_with(role)
        if row is not None:
            return row
    staff = Staff.select().where(Staff.active == True).order_by(Staff.id).first()  # noqa: E712
    if staff is None:
        raise RuntimeError("the database has no staff; create the administrator first")
    return staff


def _search_query() -> str | None:
    vehicle = Vehicle.select().where(Vehicle.plate != "").order_by(Vehicle.id).first()
    if vehicle is not None:
        from shop_desk.validation import plate_key

        return plate_key(vehicle.plate)[:4]
    customer = Customer.select().order_by(Customer.id).first()
    return customer.name[:2] if customer else None


def _window_shots(ctx: ShotContext) -> None:
    from shop_desk.ui.shell.main_window import MainWindow

    window = ctx.window
    assert isinstance(window, MainWindow)
    for key in window.visible_page_keys():
        page = window.show_page(key)
        settle()
        ctx.save(f"main_{key}", window)
        views = getattr(page, "screenshot_views", None)
        if views is not None:
            for suffix, activate in views():
                activate()
                settle()
                ctx.save(f"main_{key}_{suffix}", window)

    # the search popup with results, drawn onto the window where it appears
    query = _search_query()
    if query:
        box = window.search_box
        box.setFocus()
        box.setText(query)
        box.run_search()
        settle()
        if box.popup.isVisible():
            shot = window.grab()
            painter = QPainter(shot)
            top_left = window.mapFromGlobal(box.popup.mapToGlobal(QPoint(0, 0)))
            painter.drawPixmap(top_left, box.popup.grab())
            painter.end()
            ctx.save("search_popup", shot)
        box.reset()

    # read-only summaries that search opens
    vehicle = Vehicle.select().order_by(Vehicle.id).first()
    if vehicle is not None:
        _shot_dialog(ctx, "vehicle_summary", window.show_vehicle_summary(vehicle.id))
    order = RepairOrder.select().order_by(RepairOrder.id.desc()).first()
    if order is not None:
        _shot_dialog(ctx, "order_summary", window.show_order_summary(order.id))
    customer = Customer.select().order_by(Customer.id).first()
    if customer is not None:
        _shot_dialog(ctx, "customer_summary", window.show_customer_summary(customer.id))


def _admin_dialog_shots(ctx: ShotContext) -> None:
    from shop_desk.ui.admin.tab_catalogues import LabourDialog, PartDialog, labour_rows, part_rows
    from shop_desk.ui.admin.tab_staff import ResetPinDialog, StaffDialog, staff_rows
    from shop_desk.ui.admin.tab_teams import TeamDialog, team_rows

    staff = ctx.staff
    window = ctx.window
    _shot_dialog(ctx, "dialog_staff_new", StaffDialog(staff, window))
    rows = staff_rows()
    if rows:
        row = next((r for r in rows if len(r["roles"]) > 1), rows[0])
        _shot_dialog(ctx, "dialog_staff_edit", StaffDialog(staff, window, row))
        _shot_dialog(ctx, "dialog_reset_pin", ResetPinDialog(staff, row, window))
    teams = team_rows()
    _shot_dialog(ctx, "dialog_team", TeamDialog(staff, window, teams[0] if teams else None))
    labour = labour_rows()
    _shot_dialog(ctx, "dialog_labour", LabourDialog(staff, window, labour[0] if labour else None))
    parts = part_rows()
    _shot_dialog(ctx, "dialog_part", PartDialog(staff, window, parts[0] if parts else None))


def render_all(outdir: str | Path, db_path: str | Path, lang: str | None = None) -> list[Path]:
    """Render the GUI filled from ``db_path`` into ``outdir``; the PNG files written.

    The stagings record orders, insurers, counter sales … to show the screens at work, so they
    run on a scratch copy of the file: the shop's own database is only read. Opens its own
    connection and puts back the previously bound database and language."""
    import tempfile

    from shop_desk import backup

    if dbmod.is_postgres_url(str(db_path)):
        raise ValueError("screenshots are staged on a copy of a shop file, not on a server")
    with tempfile.TemporaryDirectory(prefix="shop-desk-shots-") as scratch:
        copy = Path(scratch) / "shots.db"
        backup.copy_database(Path(db_path), copy)
        return _render_from(outdir, copy, lang)


def _render_from(outdir: str | Path, db_path: Path, lang: str | None) -> list[Path]:
    """:func:`render_all` on the scratch copy ``db_path``."""
    from PySide6.QtCore import QSize

    from shop_desk.app import create_application
    from shop_desk.ui.shell import fit
    from shop_desk.ui.shell.login import FirstStartDialog, LoginDialog
    from shop_desk.ui.shell.main_window import MainWindow

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    fit.assume_room(QSize(1280, 800))  # the screens are drawn for a 1280×800 window
    previous_lang = i18n.current_language()
    previous_db = dbmod.database.obj
    create_application(lang)
    connection = dbmod.open_database(db_path)
    window = None
    try:
        staff = _pick_staff()
        ctx = ShotContext(window=None, staff=staff, outdir=out)
        login = LoginDialog()
        login.login.select_login(staff.login)
        login.resize(440, 540)
        _shot_dialog(ctx, "login", login)
        wrong = LoginDialog()
        wrong.login.select_login(staff.login)
        wrong.login.show_error(
            i18n.translate(
                "Auth", "Wrong PIN. {n} tries left before the account is locked."
            ).format(n=3)
        )
        _shot_dialog(ctx, "login_wrong_pin", wrong)
        first = FirstStartDialog()
        first.name_edit.setText("系统管理员 Admin")
        _shot_dialog(ctx, "first_start", first)

        load_staging_modules()
        window = MainWindow(staff)
        window.resize(1280, 800)
        window.show()
        settle()
        ctx.window = window
        _window_shots(ctx)
        if "admin" in window.visible_page_keys():
            _admin_dialog_shots(ctx)
        for name, fn in _EXTRA.items():
            window.resize(1280, 800)  # each area starts from the same window, whatever ran before
            settle()
            try:
                fn(ctx)
            except Exception as exc:  # one broken shot must not hide the others
                print(f"screenshot {name} failed: {exc}")
        window.lock()
        settle()
        ctx.save("locked", window)
        return ctx.saved
    finally:
        if window is not None:
            window.close()
            window.deleteLater()
        settle()
        fit.assume_room(None)
        connection.close()
        if previous_db is not None:
            dbmod.database.initialize(previous_db)
        i18n.install_language(previous_lang)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop_desk.ui.shots.screenshots")
    parser.add_argument("outdir")
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", default=None)
    parser.add_argument(
        "--qm", action="append", default=[], help="extra .qm translation to load first"
    )
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    from PySide6.QtCore import QTranslator, qInstallMessageHandler

    def quiet(
        _mode, _context, text: str
    ) -> None:  # the offscreen plugin's "does not support" noise
        if not text.startswith("This plugin does not support"):
            print(text)

    qInstallMessageHandler(quiet)

    from shop_desk.app import create_application

    app = create_application(args.lang)
    extra = []
    for qm in args.qm:
        tr = QTranslator(app)
        if tr.load(qm):
            app.installTranslator(tr)
            extra.append(tr)
    for path in render_all(args.outdir, args.db, args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    # run as the package's module, not as __main__: the staging modules register their
    # screens with shop_desk.ui.shots.screenshots, which would otherwise be a second copy
    from shop_desk.ui.shots import screenshots

    raise SystemExit(screenshots.main())

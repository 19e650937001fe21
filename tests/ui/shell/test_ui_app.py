"""run_gui end to end with real dialogs (driven by a timer), and the bundled CJK font."""

from __future__ import annotations

import os
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from shop_desk.app import create_application, run_gui
from shop_desk.ui.shell.login import FirstStartDialog, LoginDialog
from shop_desk.ui.shell.main_window import MainWindow


@pytest.fixture
def driver(qapp, monkeypatch):
    """Plays the user: every 20 ms it looks at the screen and does the next step."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    seen: list[str] = []
    timers: list[QTimer] = []

    def start(act) -> QTimer:
        timer = QTimer()
        timer.setInterval(20)

        def tick() -> None:
            modal = QApplication.activeModalWidget()
            windows = [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()
            ]
            act(modal, windows, seen)

        timer.timeout.connect(tick)
        timer.start()
        # never hang the suite; stopped at the end of the test, or a later test's waits
        # would find the application told to quit (every event loop then returns at once)
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(lambda: QApplication.exit(3))
        guard.start(15000)
        timers.extend((timer, guard))
        return timer

    yield start, seen
    for timer in timers:
        timer.stop()


def test_run_gui_signs_in_shows_the_window_and_quits(driver, db_path):
    start, seen = driver

    def act(modal, windows, seen):
        if isinstance(modal, LoginDialog) and "login" not in seen:
            seen.append("login")
            modal.login.select_login("advisor")
            modal.login.pin_edit.setText("1234")
            modal.login.sign_in_button.click()
        elif windows and "window" not in seen:
            seen.append("window")
            seen.append(windows[0].staff.login)
            windows[0].quit_action.trigger()

    timer = start(act)
    code = run_gui(str(db_path), "en")
    timer.stop()
    assert code == 0
    assert seen == ["login", "window", "advisor"]


def test_first_start_creates_the_administrator_and_opens_the_window(driver, tmp_path):
    start, seen = driver

    def act(modal, windows, seen):
        if isinstance(modal, FirstStartDialog) and "first" not in seen:
            seen.append("first")
            modal.name_edit.setText("店长 Boss")
            modal.pin_edit.setText("2468")
            modal.pin2_edit.setText("2468")
            modal.create_button.click()
        elif windows and "window" not in seen:
            seen.append("window")
            seen.append("admin" in windows[0].visible_page_keys())
            windows[0].close()

    timer = start(act)
    code = run_gui(str(tmp_path / "new.db"), "en")
    timer.stop()
    assert code == 0
    assert seen == ["first", "window", True]


def test_bundled_font_is_the_fallback_family(qapp):
    app = create_application("en")
    families = app.font().families()
    assert "WenQuanYi Micro Hei" in families
    assert families[-1] == "WenQuanYi Micro Hei"  # Latin keeps the platform font


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Qt renders with FreeType here")
def test_the_application_font_is_not_hinted_with_freetype(qapp):
    """No hinting rather than the auto-hinter of the usual "slight" hinting (the start is
    spared its pass over the bundled font; widths stay: see tests/ui/shots/test_ui_screen_fit)."""
    from PySide6.QtGui import QFont

    app = create_application("en")
    assert app.font().hintingPreference() == QFont.HintingPreference.PreferNoHinting


def test_screenshots_command_renders_offscreen_without_a_display(monkeypatch, tmp_path, db_path):
    """`shop-desk screenshots OUTDIR` needs no display: it picks the offscreen platform."""
    from shop_desk import cli
    from shop_desk.ui.shots import screenshots

    calls = []
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setattr(
        screenshots, "render_all", lambda out, db, lang: calls.append((out, db, lang)) or []
    )
    out = tmp_path / "shots"
    assert cli.main(["screenshots", str(out), "--db", str(db_path), "--lang", "en"]) == 0
    assert calls == [(str(out), str(db_path), "en")]
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"

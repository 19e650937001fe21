"""End-to-end walks: the real application started as ``shop-desk`` starts it, on a given day.

``shop`` is the front-desk PC of the walk: the sample shop in a fresh SQLite file, the
application started through :class:`shop_desk.app.Startup` (the steps of ``run_gui``), the
first person signed in at the real login window. Every walk runs in English and Chinese.
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
from pathlib import Path

import pytest
from shop_pc import Shop

from shop_desk import i18n


@pytest.fixture(params=["en", "zh_CN"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def shop_factory(qtbot, tmp_path: Path, _sample_template: Path, lang: str):  # noqa: ANN001
    """``shop_factory(day)``: the walk's front-desk PC on ``day`` at 08:00, not yet started."""
    made: list[Shop] = []

    def make(day: dt.date) -> Shop:
        target = tmp_path / "shop.db"
        shutil.copy(_sample_template, target)
        shop = Shop(qtbot, lang, day, target)
        shop.at("08:00")
        made.append(shop)
        return shop

    yield make
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from shop_desk.ui.admin.backups import BackupScheduler
    from shop_desk.ui.shell.background import wait_for_jobs

    app = QApplication.instance()
    for scheduler in app.findChildren(BackupScheduler) if app else []:
        scheduler.timer.stop()
        scheduler.setParent(None)
        scheduler.deleteLater()
    for shop in made:
        if shop.window is not None:
            shop.window.close()
    assert wait_for_jobs(10_000), "a background job was still running 10 s after the walk"
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for shop in made:
        if shop.startup is not None:
            shop.startup.close()
    i18n.install_language("en")
    gc.collect()

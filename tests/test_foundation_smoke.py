import sys
from pathlib import Path

import pytest

from shop_desk import paths
from shop_desk.models import AuditLog, LabourOperation, Part, Staff, Team


def test_sample_shop_is_there(db, staff):
    assert Staff.select().count() == 15
    assert Team.select().count() == 3
    assert LabourOperation.select().count() > 10
    assert Part.select().count() > 10
    assert "advisor" in staff["advisor"].role_set()
    assert AuditLog.select().count() > 0


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders are Linux's")
def test_user_data_folder_follows_the_platform_and_can_be_moved(tmp_path, monkeypatch):
    monkeypatch.delenv("SHOP_DESK_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "shop-desk"
    assert paths.default_db_path() == str(tmp_path / "xdg" / "shop-desk" / "shop-desk.db")
    assert (tmp_path / "xdg" / "shop-desk").is_dir()
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.user_data_dir() == tmp_path / "home" / ".local" / "share" / "shop-desk"
    monkeypatch.setenv("SHOP_DESK_DATA_DIR", str(tmp_path / "moved"))
    assert paths.demo_db_path() == str(tmp_path / "moved" / "demo.db")


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders are Linux's")
@pytest.mark.parametrize("xdg", ["absolute", "relative", None])
def test_user_data_folder_is_where_qt_keeps_generic_data(tmp_path, monkeypatch, xdg):
    """Worked out without Qt (before the login window), it is the folder Qt would give."""
    from PySide6.QtCore import QStandardPaths

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if xdg == "absolute":
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    elif xdg == "relative":  # Qt ignores a relative XDG folder, and so do we
        monkeypatch.setenv("XDG_DATA_HOME", "xdg")
    else:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    qt = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    assert paths.user_data_dir() == Path(qt) / "shop-desk"

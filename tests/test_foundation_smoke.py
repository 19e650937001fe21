import sys

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

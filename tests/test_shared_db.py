"""The parts of "several PCs, one shop" that need no PostgreSQL server: this PC's station
settings, picking the change watcher and the database for a URL, and what ``migrate-db``,
``backup`` and ``restore`` refuse before touching any server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from shop_desk import station
from shop_desk.changes import ChangeWatcher
from shop_desk.changes_pg import make_watcher, redacted
from shop_desk.cli import main as cli_main
from shop_desk.db import database_url, is_postgres_url, postgres_url
from shop_desk.errors import ValidationError
from shop_desk.migrate_db import MigrationRefused, migrate
from shop_desk.printing import KINDS

SERVER = "postgresql://shop:secret@127.0.0.1:1/nowhere"  # nothing listens on port 1


# ------------------------------------------------------------------------ this PC


def test_station_settings_are_kept_on_this_pc(tmp_path):
    assert Path(station.settings_file()).parent == Path(station.paths.data_dir())
    assert station.station_name()  # the computer's name until the shop names it
    assert station.default_printers() == dict.fromkeys(KINDS)
    assert station.board_variant() == "workshop"

    assert station.set_station_name("  前台 1   Reception 1 ") == "前台 1 Reception 1"
    station.set_default_printer("settlement", "收银台打印机 Cashier HP")
    station.set_default_printer("gate-pass", "Gate printer")
    station.set_board_variant("lounge")

    # another program start (a new QSettings) reads the same values back from the file
    assert station.station_name() == "前台 1 Reception 1"
    assert station.default_printer("settlement") == "收银台打印机 Cashier HP"
    assert station.default_printer("task-order") is None
    assert station.board_variant() == "lounge"
    assert "Reception 1" in Path(station.settings_file()).read_text(encoding="utf-8")

    station.set_default_printer("gate-pass", None)  # forget it
    assert station.default_printer("gate-pass") is None
    station.set_station_name("")  # back to the computer's name
    assert station.station_name() != "前台 1 Reception 1"


def test_station_settings_refuse_what_they_cannot_mean():
    with pytest.raises(ValidationError, match="kind of document"):
        station.default_printer("invoice")
    with pytest.raises(ValidationError, match="kind of document"):
        station.set_default_printer("invoice", "HP")
    with pytest.raises(ValidationError, match="too long"):
        station.set_station_name("x" * (station.MAX_NAME + 1))
    with pytest.raises(ValidationError, match="board variant"):
        station.set_board_variant("cinema")
    assert station.board_variant() == "workshop"


# --------------------------------------------------------------- URLs and watchers


def test_urls_pick_the_backend():
    assert is_postgres_url("postgresql://u:p@h:5432/shop")
    assert is_postgres_url("postgres://u@h/shop")
    assert not is_postgres_url("sqlite:///C:/shop/shop.db")
    assert not is_postgres_url(Path("shop.db"))
    assert postgres_url("postgres://u@h/shop") == "postgresql://u@h/shop"
    assert redacted(SERVER) == "postgresql://shop:***@127.0.0.1:1/nowhere"


def test_make_watcher_on_a_file_is_the_sqlite_watcher(db, db_path):
    assert database_url() == str(db_path)
    for target in (None, db_path, f"sqlite:///{db_path}"):
        watcher = make_watcher(target)
        try:
            assert isinstance(watcher, ChangeWatcher)
            assert watcher.path == Path(db_path)
            assert not watcher.changed()
        finally:
            watcher.close()


def test_make_watcher_for_a_server_that_is_not_there_says_so():
    import psycopg2

    with pytest.raises(psycopg2.OperationalError):
        make_watcher(SERVER)


# ----------------------------------------------------------------- refusals (no server)


def test_migrate_db_refuses_a_wrong_source_or_target(tmp_path, db_path):
    with pytest.raises(MigrationRefused, match="not found"):
        migrate(str(tmp_path / "missing.db"), SERVER)
    with pytest.raises(MigrationRefused, match="database file"):
        migrate(SERVER, SERVER)
    other = tmp_path / "other.db"
    sqlite3.connect(other).close()
    with pytest.raises(MigrationRefused, match="not a shop-desk database"):
        migrate(f"sqlite:///{other}", SERVER)
    with pytest.raises(MigrationRefused, match="must be a PostgreSQL database"):
        migrate(str(db_path), f"sqlite:///{tmp_path / 'copy.db'}")


def test_migrate_db_command_reports_refusals_in_one_sentence(tmp_path, capsys):
    code = cli_main(["migrate-db", "--from", str(tmp_path / "missing.db"), "--to", SERVER])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("shop-desk: ") and "Traceback" not in err
    assert cli_main(["migrate-db", "--to", SERVER]) == 2  # --from is required


def test_backup_and_restore_of_a_server_database_point_to_the_servers_tools(capsys):
    assert cli_main(["backup", "--db", SERVER]) == 2
    assert "pg_dump" in capsys.readouterr().err
    assert cli_main(["restore", "backup.db", "--db", SERVER]) == 2
    assert "pg_dump" in capsys.readouterr().err


def test_a_tv_pc_set_to_the_lounge_view_starts_the_board_with_it(monkeypatch, db_path):
    import sys
    import types

    calls = []
    module = types.ModuleType("shop_desk.ui.workshop.display")
    module.run_display = lambda *args, **kwargs: calls.append(kwargs) or 0
    monkeypatch.setitem(sys.modules, "shop_desk.ui.workshop.display", module)
    assert cli_main(["board", "--db", str(db_path)]) == 0
    station.set_board_variant("lounge")
    assert cli_main(["board", "--db", str(db_path)]) == 0
    assert [c["lounge"] for c in calls] == [False, True]


def test_station_command_shows_and_changes_this_pcs_settings(capsys):
    code = cli_main(
        [
            "station",
            "--name",
            "收银台 Cashier",
            "--printer",
            "settlement=收银台打印机 Cashier HP",
            "--printer",
            "gate-pass=Gate printer",
            "--board",
            "lounge",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Station name: 收银台 Cashier" in out
    assert "Board: the customer lounge view" in out
    assert "Printer for Settlement slip: 收银台打印机 Cashier HP" in out
    assert "Printer for Task order: not set (the print dialog asks)" in out
    assert station.settings_file() in out
    assert station.default_printer("gate-pass") == "Gate printer"

    assert cli_main(["station", "--printer", "gate-pass="]) == 0  # forgets it
    assert station.default_printer("gate-pass") is None
    assert station.board_variant() == "lounge" and station.station_name() == "收银台 Cashier"

    assert cli_main(["station", "--printer", "settlement"]) == 2
    assert "KIND=PRINTER" in capsys.readouterr().err
    assert cli_main(["station", "--printer", "invoice=HP"]) == 1
    assert "not a kind of document" in capsys.readouterr().err
    assert cli_main(["station", "--board", "cinema"]) == 2


def test_print_dialog_preselects_this_pcs_printer_for_the_kind():
    from shop_desk.ui.shell.print_preview import preferred_printer, remember_printer

    assert preferred_printer("settlement") == ""
    remember_printer("settlement", "Last used")
    assert preferred_printer("settlement") == "Last used"
    station.set_default_printer("settlement", "Cashier HP")
    assert preferred_printer("settlement") == "Cashier HP"  # this PC's default wins
    assert preferred_printer("task-order") == ""
    assert station.printer_for("appointment-slip") is None  # not a printed form: no error

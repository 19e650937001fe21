"""Restore while another station has the shop open (issue 17 item 7): refused, naming the
station, and nothing the other station saved is lost; a killed station does not block a
restore for ever; a station starting during a restore is turned away.

The other station is a real process (station.py) writing through the services."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from shop_desk import backup, cli, presence, station
from shop_desk.db import close_database
from shop_desk.errors import DomainError
from shop_desk.models import Customer

NAME = "收银台 Cashier 2"


def _customers(other, first: int, count: int) -> None:
    for n in range(first, first + count):
        answer = other.ask(
            op="call",
            service="create_customer",
            actor="advisor",
            args=[f"并发 {n}", f"1390000{n:04d}"],
        )
        assert answer["ok"], answer


def _count() -> int:
    return Customer.select().where(Customer.name.startswith("并发 ")).count()


def test_restore_is_refused_while_another_station_writes(
    busy_db, busy_path, stations, tmp_path, capsys
):
    station.set_station_name(NAME)
    made = backup.take_backup(busy_path, tmp_path / "bk")
    other = stations()
    _customers(other, 0, 20)
    close_database()  # this process's own window closes before restoring
    before = busy_path.read_bytes()
    with pytest.raises(DomainError) as refused:
        backup.restore(made, busy_path)
    assert NAME in str(refused.value) and "nothing was restored" in str(refused.value)
    assert busy_path.read_bytes() == before
    assert list(busy_path.parent.glob("*.replaced-*")) == []
    _customers(other, 20, 20)  # the other station goes on saving, unharmed
    for n in range(40, 70):  # and while it is saving, the command line is refused too
        other.send(
            op="call",
            service="create_customer",
            actor="advisor",
            args=[f"并发 {n}", f"1390{n:07d}"],
        )
    assert cli.main(["restore", str(made), "--db", str(busy_path)]) == 1
    assert NAME in capsys.readouterr().err
    assert all(other.read()["ok"] for _ in range(30))
    from shop_desk.db import open_database

    open_database(busy_path)
    assert _count() == 70
    close_database()
    other.close()  # closed there: now the restore goes through
    backup.restore(made, busy_path)
    open_database(busy_path)
    assert _count() == 0


def test_a_killed_station_does_not_block_a_restore(busy_db, busy_path, stations, tmp_path):
    made = backup.take_backup(busy_path, tmp_path / "bk")
    other = stations()
    _customers(other, 0, 3)
    assert [s.pid for s in presence.others(busy_path)] == [other.proc.pid]
    os.kill(other.proc.pid, signal.SIGKILL)
    other.proc.wait(timeout=60)
    close_database()
    backup.restore(made, busy_path)
    assert not any(p.suffix == ".json" for p in presence.folder(busy_path).iterdir())


def test_a_station_starting_during_a_restore_is_turned_away(busy_path):
    code = (
        "import sys\n"
        "from shop_desk.db import open_database\n"
        "from shop_desk.errors import DomainError\n"
        "try:\n"
        f"    open_database({str(busy_path)!r})\n"
        "except DomainError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(3)\n"
    )
    with presence.take_over(busy_path):
        refused = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert refused.returncode == 3, refused.stderr
    assert "being restored" in refused.stdout
    opened = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert opened.returncode == 0, opened.stdout + opened.stderr

"""Backup and restore under faults (issue 17 item 8): a source that stays locked, a full
disk, a read-only folder or mount, a backup changed by one byte or made by a newer version.
Every fault ends in one clear sentence (never SQLite's raw error or a traceback), leaves no
``.partial`` file, and a refused restore replaces nothing.

How the faults are made, for real rather than by mocking SQLite:

- read-only folder: ``chmod 555``; as root (which ignores modes) ``chattr +i`` (the
  immutable flag stops root too); skipped where neither works;
- full disk and read-only mount: a tiny ``tmpfs`` or a read-only bind mount in a private
  user and mount namespace (``unshare -rm``, no privileges needed), with the command run
  inside it in a subprocess; skipped where user namespaces are not available;
- a source that stays locked: another connection holding it in ``locking_mode=EXCLUSIVE``
  (what the backup saw on a read-only ``-shm``: SQLITE_BUSY at every step, for ever).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from shop_desk import backup, cli
from shop_desk.errors import DomainError
from shop_desk.migrations import LATEST

ROOT = Path(__file__).resolve().parents[1]


def _writable(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"x")
    except OSError:
        return False
    probe.unlink()
    return True


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """``folder`` made read-only for this process, root included; skips where impossible."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    immutable = False
    if _writable(folder) and shutil.which("chattr"):
        immutable = (
            subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        )
    try:
        if _writable(folder):
            pytest.skip("cannot make a folder read-only here (root without chattr +i)")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def _namespaces() -> bool:
    return bool(shutil.which("unshare")) and (
        subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0
    )


needs_namespaces = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not _namespaces(),
    reason="needs unshare -rm (user and mount namespaces) for a full disk or read-only mount",
)


def in_namespace(mounts: str, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -c code`` after ``mounts`` (shell commands) in a private mount namespace."""
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", f'{mounts} && exec "$0" -c "$1"', sys.executable, code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def _partials(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if "partial" in p.name or "restoring" in p.name]


def _clean(text: str) -> bool:
    return "Traceback" not in text and "OperationalError" not in text


# ---------------------------------------------------------------------------- locked source


def test_backup_of_a_source_that_stays_locked_returns_with_a_message(db_path, tmp_path):
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE shop_settings SET name = name")
    holder.execute("COMMIT")  # the exclusive lock is kept until the connection closes
    folder = tmp_path / "bk"
    outcome: list[BaseException | Path] = []

    def run() -> None:
        try:
            outcome.append(backup.take_backup(db_path, folder, busy_limit=0.2))
        except BaseException as exc:  # noqa: BLE001 - the test looks at whatever came
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(30)
    holder.close()
    assert not worker.is_alive(), "the backup of a locked database never returned"
    (error,) = outcome
    assert isinstance(error, DomainError) and "locked" in str(error)
    assert _partials(folder) == [] and backup.list_backups(folder) == []


# ---------------------------------------------------------------------------- checksum, schema


def test_a_backup_changed_by_one_byte_is_refused(db, db_path, tmp_path):
    from shop_desk.models import Customer

    Customer.create(name="校验 Checksum", phone="13800000077")
    made = backup.take_backup(db_path, tmp_path / "bk")
    assert backup.checksum_file(made).read_text().split() == [backup.sha256(made), made.name]
    data = bytearray(made.read_bytes())
    at = data.index(b"Checksum")
    data[at] = ord("K")  # a value changed, the file still sound
    made.write_bytes(bytes(data))
    assert backup.integrity_ok(made) == (True, "ok")
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(DomainError, match="does not match its checksum"):
        backup.restore(made, db_path)
    assert db_path.read_bytes() == before
    assert list(db_path.parent.glob("*.replaced-*")) == []


def test_a_backup_from_a_newer_schema_is_refused_before_anything_is_replaced(db, db_path, tmp_path):
    made = backup.take_backup(db_path, tmp_path / "bk")
    con = sqlite3.connect(made)
    con.execute("UPDATE schema_version SET version = ?", (LATEST + 1,))
    con.commit()
    con.close()
    backup.checksum_file(made).write_text(f"{backup.sha256(made)}  {made.name}\n")
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(DomainError, match="newer version") as err:
        backup.restore(made, db_path)
    assert f"schema {LATEST + 1}" in str(err.value)
    assert db_path.read_bytes() == before
    assert list(db_path.parent.glob("*.replaced-*")) == []


def test_a_backup_without_checksum_needs_to_be_asked_for(db, db_path, tmp_path, capsys):
    made = backup.take_backup(db_path, tmp_path / "bk")
    backup.checksum_file(made).unlink()
    db.close()
    assert cli.main(["restore", str(made), "--db", str(db_path)]) == 1
    assert "--no-checksum" in capsys.readouterr().err
    assert cli.main(["restore", "--no-checksum", str(made), "--db", str(db_path)]) == 0


def test_rotation_removes_the_checksum_with_its_backup(tmp_path):
    for day in range(1, 20):
        made = tmp_path / f"shop-desk-202501{day:02d}-120000.db"
        made.write_bytes(b"x")
        backup.checksum_file(made).write_text("0  x\n")
    removed = backup.rotate(tmp_path, keep_daily=3, keep_monthly=1)
    assert removed and not any(backup.checksum_file(p).exists() for p in removed)
    assert len(list(tmp_path.glob("*.sha256"))) == 3


# ---------------------------------------------------------------------------- read-only folder


def test_backup_into_a_read_only_folder_says_so(db_path, tmp_path, capsys):
    with read_only_folder(tmp_path / "ro") as folder:
        code = cli.main(["backup", "--db", str(db_path), "--to", str(folder)])
        err = capsys.readouterr().err
        assert code == 1 and "cannot be written to" in err and _clean(err), err
        assert "no backup was saved" in err
        assert list(folder.iterdir()) == []


def test_backup_job_of_the_admin_page_reports_a_read_only_folder(db_path, tmp_path):
    from shop_desk.ui.admin.backups import BackupJob

    with read_only_folder(tmp_path / "ro") as folder:
        job = BackupJob(db_path, folder)
        failed: list[str] = []
        job.signals.failed.connect(failed.append)
        job.run()
        assert len(failed) == 1 and "cannot be written to" in failed[0] and _clean(failed[0])
        assert list(folder.iterdir()) == []


def test_restore_in_a_read_only_folder_says_so_and_changes_nothing(db, db_path, tmp_path, capsys):
    made = backup.take_backup(db_path, tmp_path / "bk")
    db.close()
    live = tmp_path / "live"
    live.mkdir()
    shutil.copy(db_path, live / "shop.db")
    before = (live / "shop.db").read_bytes()
    with read_only_folder(live):
        code = cli.main(["restore", str(made), "--db", str(live / "shop.db")])
        err = capsys.readouterr().err
        assert code == 1 and "cannot be written to" in err and _clean(err), err
        assert "nothing was restored" in err
        assert sorted(p.name for p in live.iterdir()) == ["shop.db"]
    assert (live / "shop.db").read_bytes() == before


# ---------------------------------------------------------------------------- full disk, mounts


@needs_namespaces
def test_backup_onto_a_full_disk_says_so_and_leaves_nothing(db_path, tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    code = (
        "import os, sys\n"
        "from shop_desk import cli\n"
        f"code = cli.main(['backup', '--db', {str(db_path)!r}, '--to', {str(folder)!r}])\n"
        f"print('LEFT', sorted(os.listdir({str(folder)!r})))\n"
        "sys.exit(code)\n"
    )
    done = in_namespace(f"mount -t tmpfs -o size=64k none {folder}", code)
    assert done.returncode == 1, done.stderr
    assert "is full" in done.stderr and "no backup was saved" in done.stderr
    assert _clean(done.stderr), done.stderr
    assert "LEFT []" in done.stdout


@needs_namespaces
def test_a_save_on_a_full_disk_says_the_disk_is_full(db_path, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    code = (
        "import shutil\n"
        "from pathlib import Path\n"
        "from shop_desk.db import open_database\n"
        "from shop_desk.errors import DomainError\n"
        "from shop_desk.models import Customer, Staff\n"
        "from shop_desk.services import customers\n"
        f"folder = Path({str(small)!r})\n"
        f"shutil.copy({str(db_path)!r}, folder / 'shop.db')\n"
        "open_database(folder / 'shop.db')\n"
        "advisor = Staff.get(Staff.login == 'advisor')\n"
        "before = Customer.select().count()\n"
        "with open(folder / 'filler', 'wb', buffering=0) as filler:\n"
        "    try:\n"
        "        while True:\n"
        "            filler.write(b'x' * 4096)\n"
        "    except OSError:\n"
        "        pass\n"
        "try:\n"
        "    customers.create_customer(advisor, '满盘 Full', '13800000055')\n"
        "    print('SAVED')\n"
        "except DomainError as exc:\n"
        "    print('REFUSED', exc)\n"
        "(folder / 'filler').unlink()\n"
        "print('COUNT', Customer.select().count() - before)\n"
    )
    size = db_path.stat().st_size + 512 * 1024
    done = in_namespace(f"mount -t tmpfs -o size={size} none {small}", code)
    assert done.returncode == 0, done.stderr
    assert "REFUSED The disk is full" in done.stdout, done.stdout + done.stderr
    assert "COUNT 0" in done.stdout


@needs_namespaces
@pytest.mark.parametrize("shm", [True, False], ids=["with-shm", "without-shm"])
def test_backup_of_a_wal_database_on_a_read_only_mount_returns(tmp_path, shm):
    """A station killed after committing leaves ``-wal`` and ``-shm``; the folder is then
    mounted read-only. The backup holds the last commit: read in place with the ``-shm``;
    without it (SQLite cannot open the file read-only then) from a copy of the files."""
    data = tmp_path / "data"
    data.mkdir()
    writer = (
        "import os, signal, sqlite3\n"
        f"con = sqlite3.connect({str(data / 'shop.db')!r}, isolation_level=None)\n"
        "con.execute('PRAGMA journal_mode = WAL')\n"
        "con.execute('CREATE TABLE schema_version (version INTEGER)')\n"
        "con.execute('INSERT INTO schema_version VALUES (1)')\n"
        "con.execute('CREATE TABLE t (x)')\n"
        "con.execute('INSERT INTO t VALUES (42)')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", writer], check=False)
    assert (data / "shop.db-wal").exists() and (data / "shop.db-shm").exists()
    if not shm:
        (data / "shop.db-shm").unlink()
    out = tmp_path / "out"
    code = (
        "import os, sqlite3, sys\n"
        "from shop_desk import backup\n"
        f"made = backup.take_backup({str(data / 'shop.db')!r}, {str(out)!r}, busy_limit=5)\n"
        "print('ROWS', sqlite3.connect(made).execute('SELECT x FROM t').fetchall())\n"
        f"print('LEFT', sorted(os.listdir({str(data)!r})))\n"
    )
    done = in_namespace(f"mount --bind {data} {data} && mount -o remount,ro,bind {data}", code)
    assert done.returncode == 0, done.stderr
    assert "ROWS [(42,)]" in done.stdout
    left = ["shop.db", "shop.db-shm", "shop.db-wal"] if shm else ["shop.db", "shop.db-wal"]
    assert f"LEFT {left}" in done.stdout
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith((".db", ".sha256"))) == []

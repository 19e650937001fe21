"""Backups of the SQLite database with the online backup API, rotation, checked restore.

Backups go to ``<data dir>/backups`` (or a folder given): ``shop-desk-YYYYmmdd-HHMMSS.db``.
Rotation keeps the newest backup of each of the last 14 days and of the last 12 months.
Restore first checks the backup's integrity, then keeps the current database aside.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shop_desk import paths
from shop_desk.errors import DomainError
from shop_desk.i18n import translate

KEEP_DAILY = 14
KEEP_MONTHLY = 12
_NAME = re.compile(r"^shop-desk-(\d{8})-(\d{6})\.db$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    size: int


def backup_dir(db_path: str | Path, override: str | Path | None = None) -> Path:
    folder = Path(override) if override else paths.data_dir() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def integrity_ok(path: str | Path) -> tuple[bool, str]:
    """PRAGMA quick_check on a file; (ok, message)."""
    try:
        con = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
            has_schema = con.execute(
                "SELECT count(*) FROM sqlite_master WHERE name='schema_version'"
            ).fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return False, str(exc)
    text = "; ".join(r[0] for r in rows)
    if text != "ok":
        return False, text
    if not has_schema:
        return False, translate("Backup", "the file is not a shop-desk database")
    return True, "ok"


def take_backup(
    db_path: str | Path,
    folder: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Copy the live database consistently (other stations may keep working meanwhile)."""
    source = Path(db_path)
    if not source.exists():
        raise DomainError(
            translate("Backup", "The database {path} does not exist.").format(path=source)
        )
    target_dir = backup_dir(source, folder)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"shop-desk-{stamp}.db"
    partial = target.with_suffix(".partial")
    src = sqlite3.connect(str(source), timeout=30)
    try:
        dst = sqlite3.connect(str(partial))
        try:

            def _progress(status: int, remaining: int, total: int) -> None:
                if progress:
                    progress(total - remaining, total)

            src.backup(dst, pages=256, progress=_progress)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)
    rotate(target_dir)
    return target


def list_backups(folder: str | Path) -> list[BackupInfo]:
    result = []
    for item in Path(folder).glob("shop-desk-*.db"):
        m = _NAME.match(item.name)
        if not m:
            continue
        taken = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
        result.append(BackupInfo(item, taken, item.stat().st_size))
    return sorted(result, key=lambda b: b.taken_at, reverse=True)


def rotate(
    folder: str | Path, keep_daily: int = KEEP_DAILY, keep_monthly: int = KEEP_MONTHLY
) -> list[Path]:
    """Keep the newest backup per day for ``keep_daily`` days and per month for
    ``keep_monthly`` months; delete the rest. Returns the removed files."""
    backups = list_backups(folder)
    keep: set[Path] = set()
    days: dict[dt.date, Path] = {}
    months: dict[tuple[int, int], Path] = {}
    for b in backups:  # newest first
        days.setdefault(b.taken_at.date(), b.path)
        months.setdefault((b.taken_at.year, b.taken_at.month), b.path)
    keep.update(days[d] for d in sorted(days, reverse=True)[:keep_daily])
    keep.update(months[m] for m in sorted(months, reverse=True)[:keep_monthly])
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def last_backup(folder: str | Path | None = None) -> BackupInfo | None:
    folder = Path(folder) if folder else paths.data_dir() / "backups"
    if not folder.exists():
        return None
    items = list_backups(folder)
    return items[0] if items else None


def restore(backup_file: str | Path, db_path: str | Path) -> Path:
    """Replace the database with a checked backup; the current file is kept aside.

    Returns the path where the previous database was put. The app must be closed on every
    station while restoring (the caller makes sure this process has no open connection).
    """
    backup_file = Path(backup_file)
    target = Path(db_path)
    if not backup_file.exists():
        raise DomainError(
            translate("Backup", "The backup file {path} does not exist.").format(path=backup_file)
        )
    ok, message = integrity_ok(backup_file)
    if not ok:
        raise DomainError(
            translate(
                "Backup", "The backup {path} is damaged ({error}); nothing was restored."
            ).format(path=backup_file.name, error=message)
        )
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.stem}.replaced-{stamp}{target.suffix}")
    if target.exists():
        # A consistent copy of the current database (including its WAL) is kept aside.
        src = sqlite3.connect(str(target), timeout=30)
        try:
            dst = sqlite3.connect(str(aside))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    tmp = target.with_suffix(".restoring")
    shutil.copyfile(backup_file, tmp)
    os.replace(tmp, target)
    return aside

"""Backups of the SQLite database with the online backup API, rotation, checked restore.

Backups go to ``<data dir>/backups`` (or a folder given): ``shop-desk-YYYYmmdd-HHMMSS.db``,
each with its checksum beside it (``….db.sha256``, the format of ``sha256sum``).
Rotation keeps the newest backup of each of the last 14 days and of the last 12 months.
Restore first checks the backup (its checksum, its integrity, and that its schema is not
newer than this program's), then keeps the current database aside; nothing is replaced when
any check fails.

Faults end in one clear :class:`DomainError` and leave no half-written file behind: a full
disk, a folder that cannot be written, a source that stays locked (the backup gives up after
:data:`BUSY_LIMIT` seconds instead of waiting for ever), a database on a read-only mount
(read through a read-only connection; if SQLite cannot read it in place, from a copy).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shop_desk import paths
from shop_desk.errors import DomainError, is_disk_full
from shop_desk.i18n import translate

KEEP_DAILY = 14
KEEP_MONTHLY = 12
_NAME = re.compile(r"^shop-desk-(\d{8})-(\d{6})\.db$")
#: Seconds a backup waits for a source that stays locked (another program holding it
#: exclusively) before it gives up with a message; SQLite's own loop would wait for ever.
BUSY_LIMIT = 60.0
CHECKSUM_SUFFIX = ".sha256"
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_CANTOPEN = 3, 8, 14
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    size: int


class _StayedBusy(Exception):
    """The source stayed locked longer than the backup waits (``seconds``)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _read_only(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in _READ_ONLY_ERRNOS
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_CANTOPEN)


def fault(exc: BaseException, folder: Path, what: str) -> DomainError:
    """The file-level error ``exc`` while writing into ``folder`` as one sentence for the
    user, instead of SQLite's or the OS's raw error. ``what`` says what did not happen."""
    if isinstance(exc, DomainError):
        return exc
    if isinstance(exc, _StayedBusy):
        return DomainError(
            translate(
                "Backup",
                "The database stayed locked by another program for {seconds} seconds; {what} "
                "Close the other program and try again.",
            ).format(seconds=f"{exc.seconds:g}", what=what)
        )
    if is_disk_full(exc):
        return DomainError(
            translate(
                "Backup", "The disk of {folder} is full; {what} Free some space and try again."
            ).format(folder=folder, what=what)
        )
    if _read_only(exc):
        return DomainError(
            translate(
                "Backup",
                "The folder {folder} cannot be written to (it is read-only, or this user may "
                "not write there); {what}",
            ).format(folder=folder, what=what)
        )
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return DomainError(
        translate("Backup", "{folder} could not be written ({error}); {what}").format(
            folder=folder, error=detail, what=what
        )
    )


def _nothing_saved() -> str:
    return translate("Backup", "no backup was saved.")


def _nothing_restored() -> str:
    return translate("Backup", "nothing was restored and the database is unchanged.")


def backup_dir(db_path: str | Path, override: str | Path | None = None) -> Path:
    folder = Path(override) if override else paths.data_dir() / "backups"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fault(exc, folder, _nothing_saved()) from exc
    return folder


def checksum_file(backup_file: str | Path) -> Path:
    """Where the checksum of ``backup_file`` is kept."""
    backup_file = Path(backup_file)
    return backup_file.with_name(backup_file.name + CHECKSUM_SUFFIX)


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _remove(*files: Path) -> None:
    """Remove half-written files (and SQLite's journal of each); never raises."""
    for item in files:
        for path in (item, Path(str(item) + "-journal")):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


def _copy_from(src: sqlite3.Connection, target: Path, progress, busy_limit: float) -> None:  # type: ignore[no-untyped-def]
    """The online backup of ``src`` into the new file ``target``, giving up when the source
    stays locked for ``busy_limit`` seconds (Python's backup loop retries SQLITE_BUSY for
    ever)."""
    busy_since: list[float] = []

    def _progress(status: int, remaining: int, total: int) -> None:
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED):
            now = time.monotonic()
            busy_since.append(now)
            if now - busy_since[0] > busy_limit:
                raise _StayedBusy(busy_limit)
        else:
            busy_since.clear()
        if progress:
            progress(total - remaining, total)

    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst, pages=256, progress=_progress)
    finally:
        dst.close()


def copy_database(
    source: Path,
    target: Path,
    progress: Callable[[int, int], None] | None = None,
    busy_limit: float | None = None,
) -> None:
    """A consistent copy of the live SQLite database ``source`` (with what its WAL holds) in
    the new file ``target``, other stations working meanwhile.

    The source is opened read-only, so a database on a read-only mount (or a folder this user
    may not write) is read in place. When SQLite cannot do that (it needs to write the
    ``-shm`` index it finds stale), the files are copied first and that copy is backed up:
    nobody can write to a read-only place, so the copy is consistent. ``busy_limit``
    (default :data:`BUSY_LIMIT`): seconds to wait for a source locked by another program."""
    limit = BUSY_LIMIT if busy_limit is None else busy_limit
    try:
        src = sqlite3.connect(paths.sqlite_read_only_uri(source), uri=True, timeout=5)
        try:
            _copy_from(src, target, progress, limit)
        finally:
            src.close()
        return
    except sqlite3.Error as exc:
        if not _read_only(exc) or os.access(source.parent, os.W_OK):
            raise
        _remove(target)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".shop-desk-copy-") as scratch:
        copy = Path(scratch) / source.name
        for suffix in ("", "-wal"):
            if Path(str(source) + suffix).exists():
                shutil.copyfile(str(source) + suffix, str(copy) + suffix)
        src = sqlite3.connect(str(copy), timeout=5)
        try:
            _copy_from(src, target, progress, limit)
        finally:
            src.close()


def integrity_ok(path: str | Path) -> tuple[bool, str]:
    """PRAGMA quick_check on a file; (ok, message)."""
    try:
        con = sqlite3.connect(paths.sqlite_read_only_uri(path), uri=True)
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
    busy_limit: float | None = None,
) -> Path:
    """Copy the live database consistently (other stations may keep working meanwhile),
    with its checksum beside it. Any fault is a DomainError and leaves no partial file."""
    source = Path(db_path)
    if not source.exists():
        raise DomainError(
            translate("Backup", "The database {path} does not exist.").format(path=source)
        )
    target_dir = backup_dir(source, folder)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"shop-desk-{stamp}.db"
    partial = target.with_suffix(".partial")
    sums = checksum_file(target)
    sums_partial = sums.with_suffix(".partial-sha256")
    try:
        copy_database(source, partial, progress, busy_limit)
        sums_partial.write_text(f"{sha256(partial)}  {target.name}\n", encoding="ascii")
        os.replace(partial, target)
        os.replace(sums_partial, sums)
    except (sqlite3.Error, OSError, _StayedBusy) as exc:
        if not sums.exists():
            _remove(target)
        raise fault(exc, target_dir, _nothing_saved()) from exc
    finally:
        _remove(partial, sums_partial)
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
            checksum_file(b.path).unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def last_backup(folder: str | Path | None = None) -> BackupInfo | None:
    folder = Path(folder) if folder else paths.data_dir() / "backups"
    if not folder.exists():
        return None
    items = list_backups(folder)
    return items[0] if items else None


def _schema_of(path: Path) -> int:
    con = sqlite3.connect(paths.sqlite_read_only_uri(path), uri=True)
    try:
        row = con.execute("SELECT version FROM schema_version").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


def verify_backup(backup_file: str | Path, checksum: bool = True) -> int:
    """Check a backup before anything is replaced: it exists, passes SQLite's integrity
    check, matches its checksum (one changed byte is found; ``checksum=False`` only for a
    backup taken before checksums were kept) and its schema is not newer than this program's.
    Returns its schema version; a DomainError says what is wrong."""
    from shop_desk.migrations import LATEST

    backup_file = Path(backup_file)
    if not backup_file.is_file():
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
    if checksum:
        sums = checksum_file(backup_file)
        try:
            expected = sums.read_text(encoding="ascii").split()[0].lower()
        except (OSError, UnicodeDecodeError, IndexError):
            raise DomainError(
                translate(
                    "Backup",
                    "The backup {path} has no readable checksum ({sums}), so it cannot be "
                    "verified; nothing was restored. (A backup taken before shop-desk kept "
                    "checksums is restored with: shop-desk restore --no-checksum FILE)",
                ).format(path=backup_file.name, sums=sums.name)
            ) from None
        if sha256(backup_file) != expected:
            raise DomainError(
                translate(
                    "Backup",
                    "The backup {path} does not match its checksum: it was changed or damaged "
                    "after it was taken. Nothing was restored.",
                ).format(path=backup_file.name)
            )
    version = _schema_of(backup_file)
    if version > LATEST:
        raise DomainError(
            translate(
                "Backup",
                "The backup {path} was made by a newer version of shop-desk (schema {found}, "
                "this program knows up to {latest}); nothing was restored. Update shop-desk "
                "on this PC first.",
            ).format(path=backup_file.name, found=version, latest=LATEST)
        )
    return version


def restore(backup_file: str | Path, db_path: str | Path, checksum: bool = True) -> Path:
    """Replace the database with a checked backup; the current file is kept aside.

    Returns the path where the previous database was put. Refused, naming the stations,
    while any other process has the file open (:func:`shop_desk.presence.take_over`); the
    caller makes sure this process has no open connection. Every check runs before anything
    is replaced; a fault (full disk, read-only folder) leaves the database as it was.
    """
    from shop_desk import presence

    backup_file = Path(backup_file)
    target = Path(db_path)
    verify_backup(backup_file, checksum)
    with presence.take_over(target):
        return _replace(backup_file, target)


def _replace(backup_file: Path, target: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.stem}.replaced-{stamp}{target.suffix}")
    tmp = target.with_suffix(".restoring")
    try:
        if target.exists():
            # A consistent copy of the current database (including its WAL) is kept aside.
            copy_database(target, aside)
        shutil.copyfile(backup_file, tmp)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(tmp, target)
    except (sqlite3.Error, OSError, _StayedBusy) as exc:
        _remove(tmp)
        if target.exists():
            _remove(aside)
        raise fault(exc, target.parent, _nothing_restored()) from exc
    return aside

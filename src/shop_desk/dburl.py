"""Telling a server's URL from a file's path, the file behind a URL, and a URL fit for logs:
without peewee or Qt, for the windows shown before the database is opened (see
:mod:`shop_desk.login_preview`)."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

#: URL prefixes of a PostgreSQL server (``postgres://`` is libpq's short form).
POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def is_postgres_url(url: str | Path | None) -> bool:
    """Whether ``url`` names a PostgreSQL server rather than an SQLite file."""
    return url is not None and str(url).strip().lower().startswith(POSTGRES_PREFIXES)


def redacted(url: str | Path) -> str:
    """``url`` without its password, for logs and messages (a file path as it is)."""
    text = str(url)
    if not is_postgres_url(text):
        return text
    parts = urllib.parse.urlsplit(text.strip())
    if parts.password is None:
        return text
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = urllib.parse.quote(parts.username or "")
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def sqlite_file(url: str | Path) -> Path | None:
    """The file behind ``url`` when it names an SQLite file (None: a server, or in memory)."""
    text = str(url)
    if is_postgres_url(text):
        return None
    text = text.removeprefix("sqlite:///")
    if not text or text == ":memory:" or text.startswith("file::memory:"):
        return None
    return Path(text)

"""Where bundled files and user data live, for the installed wheel and the source tree alike."""

from __future__ import annotations

import os
import sys
import urllib.parse
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE_DIR.parent.parent

APP_NAME = "shop-desk"


def _bundled(name: str) -> Path:
    """The installed wheel ships forms/ and resources/ inside the package; a source checkout
    keeps them at the project root."""
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return _SOURCE_ROOT / name


def sqlite_read_only_uri(path: str | Path) -> str:
    """``file:`` URI opening the SQLite file at ``path`` read-only (quoted, so spaces and #
    work): such a connection never creates, changes or removes anything beside the file."""
    absolute = Path(path).resolve()
    return "file:" + urllib.parse.quote(absolute.as_posix()) + "?mode=ro"


def resource_path(*parts: str) -> Path:
    return _bundled("resources").joinpath(*parts)


def form_path(name: str) -> Path:
    return _bundled("forms") / name


def font_path() -> Path:
    return resource_path("fonts", "wqy-microhei.ttf")


def user_data_dir() -> Path:
    """The user's data folder for shop-desk: ~/.local/share/shop-desk (or under XDG_DATA_HOME)
    on Linux, %LOCALAPPDATA%\\shop-desk on Windows, ~/Library/Application Support/shop-desk on
    macOS: where Qt's GenericDataLocation is. Worked out here rather than asked of Qt (whose
    QStandardPaths class costs PySide a few hundred microseconds to prepare before the login
    window, issue 24) or of platformdirs (a hundredth of a second at every start)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = xdg if os.path.isabs(xdg) else str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


def data_dir() -> Path:
    path = Path(os.environ.get("SHOP_DESK_DATA_DIR") or user_data_dir())
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> str:
    """--db wins, then SHOP_DESK_DB, then the user data folder."""
    env = os.environ.get("SHOP_DESK_DB")
    if env:
        return env
    return str(data_dir() / "shop-desk.db")


def demo_db_path() -> str:
    return str(data_dir() / "demo.db")

"""This PC's station name and the settings file it is kept in (see :mod:`shop_desk.station`).

On its own so that the database layer can name the station in its presence record
(:mod:`shop_desk.presence`) without importing what the rest of the station settings need
(the printed documents, and through them the services).
"""

from __future__ import annotations

import socket

from PySide6.QtCore import QSettings

from shop_desk import paths

NAME_KEY = "station/name"


def settings_file() -> str:
    return str(paths.data_dir() / "station.ini")


def qsettings() -> QSettings:
    return QSettings(settings_file(), QSettings.Format.IniFormat)


def clean_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def station_name() -> str:
    """The name of this PC as the shop calls it (default: the computer's network name)."""
    return clean_text(qsettings().value(NAME_KEY, "")) or socket.gethostname() or "shop-desk"

"""Per-PC GUI preferences and role wording: what the login window needs from the widget
helpers, without importing them.

:mod:`shop_desk.ui.shell.widgets` uses PySide6's ``Qt`` namespace, whose first use builds all of its
enums (30-70 ms); the login window is shown before that (see :func:`shop_desk.app.run_gui`).
The widget module re-exports these functions, so callers may import them from either.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSettings

from shop_desk import paths
from shop_desk.i18n import join_list
from shop_desk.roles import is_role, role_label, role_order


def app_settings() -> QSettings:
    """Per-PC GUI preferences (window geometry, last choices) in the user data folder.

    An INI file beside the database keeps them out of the registry and lets tests isolate
    them (SHOP_DESK_DATA_DIR)."""
    return QSettings(str(paths.data_dir() / "ui.ini"), QSettings.Format.IniFormat)


def roles_text(codes: Iterable[str]) -> str:
    """Role labels in the order of the Role enum (unknown codes as they are)."""
    return join_list(role_label(c) if is_role(c) else c for c in role_order(codes))

"""Spare the desktop start PySide6's reading of every module's source.

Once PySide6 is imported, its ``__feature__`` import hook (for the opt-in ``from __feature__
import snake_case, true_property``) runs after every import statement and, for a module it has
not seen yet, reads the module's whole source to look for the text "PySide6"; modules that were
loaded before PySide6 (``typing``, ``logging``, ``threading``, ``pathlib``, ``os`` ...) are read
at their next import statement anywhere. Before the login window that is some thirty files, a
millisecond or two (issue 24's start-up ratio).

shop-desk selects no PySide feature anywhere, and for a program without one the answer of that
reading changes nothing: PySide treats a module it marked as not using PySide (-1) exactly as
one it has not seen. So the modules already loaded are marked at once. The hook's table belongs
to PySide; if a PySide version keeps it elsewhere, nothing is marked and only the time is lost.
"""

from __future__ import annotations

import sys

#: PySide's value for "this module does not take part in feature selection".
_IGNORED = -1


def spare_source_scans() -> int:
    """Mark every module loaded so far as one PySide's feature hook need not read; returns how
    many were marked (0 if this PySide keeps no such table)."""
    feature = sys.modules.get("shibokensupport.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    marked = 0
    for name in list(sys.modules):
        if name not in table:
            table[name] = _IGNORED
            marked += 1
    return marked

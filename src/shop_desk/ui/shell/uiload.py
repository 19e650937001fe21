"""Loading Qt Designer forms (forms/*.ui) with QUiLoader.

Strings in a .ui file are translated by the loader with the form's class name as context
(the ``<class>`` element), which is also what pyside6-lupdate extracts. The sign-in form, the
first window of every start, is built by the light builder of :mod:`shop_desk.ui.shell.formbuild`
instead (:func:`load_simple_form`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QFile, QIODevice, QObject
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtUiTools import QUiLoader

from shop_desk.paths import form_path

W = TypeVar("W", bound=QObject)
log = logging.getLogger("shop_desk.ui.shell.uiload")


_LOADER: QUiLoader | None = None


def _loader() -> QUiLoader:
    """One QUiLoader for the process, made without Qt Designer plugins.

    A new QUiLoader loads every Designer plugin it finds (Qt WebEngine and Qt Quick among
    them): a tenth of a second before the first form, the login window's. The forms use only
    standard widgets, so the plugin paths are left out while it is made."""
    global _LOADER
    if _LOADER is None:
        from PySide6.QtUiTools import QUiLoader  # not needed before the login window

        paths = QCoreApplication.libraryPaths()
        QCoreApplication.setLibraryPaths([])
        try:
            _LOADER = QUiLoader()
        finally:
            QCoreApplication.setLibraryPaths(paths)
    return _LOADER


def _form_file(name: str) -> Path:
    """``forms/<name>.ui`` (``name`` with or without ``.ui``)."""
    return form_path(name if name.endswith(".ui") else f"{name}.ui")


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """The widget tree of ``forms/<name>.ui`` (``name`` with or without ``.ui``)."""
    path = _form_file(name)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"cannot open form {path}")
    try:
        loader = _loader()
        widget = loader.load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"cannot load form {path}: {loader.errorString()}")
    return widget


def load_simple_form(name: str, parent: QWidget | None = None) -> QWidget:
    """``forms/<name>.ui`` built without QUiLoader (see :mod:`shop_desk.ui.shell.formbuild`): for
    the few simple forms shown before anything else, where QUiLoader's first use is slow."""
    from shop_desk.ui.shell.formbuild import build_form

    return build_form(_form_file(name), parent)


def child(form: QWidget, kind: type[W], name: str) -> W:
    """The named child of a loaded form; a clear error if the .ui file lacks it.

    Found by name and checked by the C++ object's own class, not by the type of the Python
    wrapper PySide hands back: a wrapper left in shiboken's map for a freed object whose
    address a new widget now has (a stale wrapper) has the old object's type, and PySide's
    ``findChild(kind, name)`` then misses the new widget ("no QSplitter named 'splitter'")
    or returns something that crashes when used. Such a wrapper is dropped from the map and
    the child looked up again, so PySide wraps it afresh."""
    found = form.findChild(kind, name)
    if found is not None:
        return found
    wanted = kind.__name__  # a Qt class: its C++ class name (no QMetaObject wrapper made)
    for candidate in form.findChildren(QObject, name):
        if candidate.objectName() != name or not candidate.inherits(wanted):
            continue
        if isinstance(candidate, kind):
            return candidate
        import shiboken6

        # Nothing but plain values is asked of the stale wrapper: an object it returned (its
        # metaObject(), say) would be registered under it and invalidated with it.
        log.warning(
            "stale %s wrapper found for a live %s %r; wrapped afresh",
            type(candidate).__name__,
            wanted,
            name,
        )
        shiboken6.invalidate(candidate)  # out of shiboken's map; the widget itself lives on
        # looked up again, PySide wraps it as it wraps any child it finds: with the hook that
        # drops the wrapper when the widget is deleted (wrapInstance would not add it)
        found = form.findChild(kind, name)
        if found is not None:
            return found
    raise LookupError(f"form {form.objectName()} has no {kind.__name__} named {name!r}")

"""Loading Qt Designer forms (forms/*.ui) with QUiLoader.

Strings in a .ui file are translated by the loader with the form's class name as context
(the ``<class>`` element), which is also what pyside6-lupdate extracts.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from shop_desk.paths import form_path

W = TypeVar("W", bound=QWidget)


_LOADER: QUiLoader | None = None


def _loader() -> QUiLoader:
    """One QUiLoader for the process, made without Qt Designer plugins.

    A new QUiLoader loads every Designer plugin it finds (Qt WebEngine and Qt Quick among
    them): a tenth of a second before the first form, the login window's. The forms use only
    standard widgets, so the plugin paths are left out while it is made."""
    global _LOADER
    if _LOADER is None:
        paths = QCoreApplication.libraryPaths()
        QCoreApplication.setLibraryPaths([])
        try:
            _LOADER = QUiLoader()
        finally:
            QCoreApplication.setLibraryPaths(paths)
    return _LOADER


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """The widget tree of ``forms/<name>.ui`` (``name`` with or without ``.ui``)."""
    filename = name if name.endswith(".ui") else f"{name}.ui"
    path = form_path(filename)
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


def child(form: QWidget, kind: type[W], name: str) -> W:
    """The named child of a loaded form; a clear error if the .ui file lacks it."""
    found = form.findChild(kind, name)
    if found is None:
        raise LookupError(f"form {form.objectName()} has no {kind.__name__} named {name!r}")
    return found

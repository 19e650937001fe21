"""Building the Qt Designer forms (forms/*.ui) from their compiled modules.

The forms are compiled ahead of time by pyside6-uic into ``shop_desk.ui.forms_gen`` (see
:mod:`shop_desk.ui.compile_forms`, with what it brings and costs): no XML is read and no
QUiLoader is made at run time. The sign-in window, the first of every start, is built by
:mod:`shop_desk.ui.shell.formbuild` (see there why). The compiled ``retranslateUi``
translates with ``QCoreApplication.translate`` in the form's class name as context, the
context pyside6-lupdate extracts from the .ui files into the .ts.
"""

from __future__ import annotations

import importlib
import logging
from typing import TypeVar

from PySide6 import QtWidgets
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from shop_desk.ui.forms_gen import FORMS, TREES

W = TypeVar("W", bound=QObject)
log = logging.getLogger("shop_desk.ui.shell.uiload")


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """The widget tree of ``forms/<name>.ui`` (``name`` with or without ``.ui``), built by its
    compiled module; the widgets keep the object names they have in Designer."""
    stem = name.removesuffix(".ui")
    if stem not in FORMS:
        raise LookupError(
            f"form {stem!r} is not compiled: run uv run python -m shop_desk.ui.compile_forms"
        )
    ui_class, widget_class = FORMS[stem]
    module = importlib.import_module(f"shop_desk.ui.forms_gen.{stem}")
    widget = getattr(QtWidgets, widget_class)(parent)
    getattr(module, ui_class)().setupUi(widget)
    return widget


def load_simple_form(name: str, parent: QWidget | None = None) -> QWidget:
    """``forms/<name>.ui`` built by the light builder of :mod:`shop_desk.ui.shell.formbuild`
    from its element tree in ``forms_gen``: for the sign-in window, shown before anything else
    (see there why)."""
    from shop_desk.ui.shell.formbuild import build_tree

    stem = name.removesuffix(".ui")
    if stem not in TREES:
        raise LookupError(
            f"form {stem!r} is not among compile_forms.SIMPLE_FORMS: add it there and run "
            "uv run python -m shop_desk.ui.compile_forms"
        )
    return build_tree(TREES[stem], parent, f"forms/{stem}.ui")


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

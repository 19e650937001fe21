"""Pages and dialogs across a user switch (issue 15): torn down in one order, at once, and a
form's children found by name even past a stale wrapper in shiboken's map."""

from __future__ import annotations

import gc

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QSplitter, QWidget

from shop_desk.ui.shell.uiload import child, load_form


def _stale_wrapper(form: QWidget, name: str, wrong: type) -> QObject:
    """Leave in shiboken's map, for the address of ``form``'s child ``name``, a wrapper of
    type ``wrong``: what a freed widget's wrapper is once a new widget gets its address."""
    right = form.findChild(QObject, name)
    address = shiboken6.getCppPointer(right)[0]
    shiboken6.invalidate(right)  # out of the map; the widget itself lives on
    stale = shiboken6.wrapInstance(address, wrong)
    assert type(stale) is wrong
    return stale


def _made_in_cpp(name: str, parent: QWidget) -> QWidget:
    """The form with its widgets made by Qt's run-time loader in C++, wrapped by PySide only
    when found: the widgets whose freed wrappers can go stale. (A compiled form's widgets are
    made in Python, and their wrappers go with them.)"""
    from PySide6.QtCore import QFile, QIODevice
    from PySide6.QtUiTools import QUiLoader

    from shop_desk.paths import form_path

    file = QFile(str(form_path(f"{name}.ui")))
    assert file.open(QIODevice.OpenModeFlag.ReadOnly)
    try:
        return QUiLoader().load(file, parent)
    finally:
        file.close()


def test_a_stale_wrapper_does_not_hide_a_forms_child(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    form = _made_in_cpp("station_page", host)
    stale = _stale_wrapper(form, "splitter", QPushButton)
    assert form.findChild(QSplitter, "splitter") is None  # PySide's findChild is fooled
    splitter = child(form, QSplitter, "splitter")  # the form's own lookup is not
    assert isinstance(splitter, QSplitter) and splitter.objectName() == "splitter"
    assert splitter.orientation() is not None and splitter.count() >= 2
    assert not shiboken6.isValid(stale)
    assert form.findChild(QSplitter, "splitter") is splitter  # the map is right again
    stale = _stale_wrapper(form, "sheetLabel", QSplitter)
    assert child(form, QLabel, "sheetLabel").objectName() == "sheetLabel"
    # the wrapper made afresh is one PySide drops when its widget goes (not a new stale one)
    form.setParent(None)
    shiboken6.delete(form)
    assert not shiboken6.isValid(splitter)


def test_a_missing_child_is_still_named(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    form = load_form("station_page", host)
    with pytest.raises(LookupError, match="no QSplitter named 'nowhere'"):
        child(form, QSplitter, "nowhere")
    with pytest.raises(LookupError, match="no QSplitter named 'sheetLabel'"):
        child(form, QSplitter, "sheetLabel")  # a QLabel is not a splitter


@pytest.fixture
def station_window(make_window, monkeypatch):
    monkeypatch.setattr("shop_desk.ui.shell.main_window.app_settings", _no_settings)
    return make_window


class _NoSettings:
    def value(self, _key, default=None, _type=None):  # noqa: ANN001, ANN201
        return default

    def setValue(self, *_args) -> None:  # noqa: N802
        pass


def _no_settings() -> _NoSettings:
    return _NoSettings()


def test_a_switch_deletes_the_pages_and_dialogs_at_once(qtbot, station_window, staff) -> None:
    """No old page, no dialog of the last person, no reference to either survives the
    switch: the next person's pages are built on a clean window."""
    from factories import make_order

    order = make_order()
    window = station_window("leader1")
    page = window.show_page("station")
    for key in window.visible_page_keys():
        window.show_page(key)
    old_pages = list(window.pages.values())
    summary = window.show_order_summary(order.id)
    summary.close()  # WA_DeleteOnClose: deleted later, still listed in open_dialogs
    hidden = QDialog(page)  # a page's dialog that was closed but never deleted
    page.dialog = hidden
    open_one = window.show_order_summary(order.id)
    assert window.open_dialogs
    window.lock()
    window.lock_screen.login.signed_in.emit(staff["supervisor"])
    assert not window.locked
    gc.collect()
    for old in (*old_pages, summary, hidden, open_one):
        assert not shiboken6.isValid(old)  # deleted during the switch, not "later"
    assert window.open_dialogs == []
    assert window.findChildren(QDialog) == []
    assert set(window.pages.values()).isdisjoint(old_pages)
    assert window.stack.count() == 1 + len(window.pages)  # the home page and the new pages


def test_a_dialog_open_at_the_switch_is_silenced_before_it_goes(qtbot, station_window, staff):
    """A page's dialog still open when the pages go does not call back into them."""
    window = station_window("leader1")
    page = window.show_page("station")
    dialog = QDialog(page)
    calls: list[str] = []
    dialog.finished.connect(lambda _r: calls.append("finished"))
    dialog.destroyed.connect(lambda: calls.append("destroyed"))
    page.dialog = dialog
    dialog.open()
    window.apply_staff(staff["supervisor"])  # e.g. signed in again without the lock
    assert not shiboken6.isValid(dialog)
    assert "finished" not in calls

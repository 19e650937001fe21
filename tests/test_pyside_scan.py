"""PySide's feature hook does not read again the source of modules loaded before the desktop
start marked them (shop_desk.pyside_scan), and the start marks them."""

from __future__ import annotations

import inspect
import sys
import types

import pytest

from shop_desk import cli
from shop_desk.pyside_scan import spare_source_scans


@pytest.fixture
def hook():
    """PySide's table, the sources its hook reads, and a module it has not seen yet."""
    from PySide6 import QtCore  # noqa: F401  (the hook is PySide's)

    table = sys.modules["shibokensupport.feature"].pyside_feature_dict
    read: list[str] = []
    made: list[str] = []
    original = inspect.getsource

    def getsource(obj):
        read.append(getattr(obj, "__name__", "?"))
        return original(obj)

    def unseen(name: str) -> str:
        sys.modules[name] = types.ModuleType(name)
        table.pop(name, None)
        made.append(name)
        return name

    inspect.getsource = getsource
    try:
        yield table, read, unseen
    finally:
        inspect.getsource = original
        for name in made:
            sys.modules.pop(name, None)
            table.pop(name, None)


def test_a_module_loaded_before_is_not_read_again_once_marked(hook):
    table, read, unseen = hook
    control = unseen("shop_desk_probe_control")
    __import__(control)
    assert control in read  # the hook reads a module it has not seen (the test can fail)

    probe = unseen("shop_desk_probe_marked")
    assert spare_source_scans() >= 1
    __import__(probe)
    assert probe not in read
    assert table[probe] == -1  # "not taking part in feature selection", as the hook would say


def test_the_application_object_comes_with_the_modules_marked(hook, qapp):
    table, read, unseen = hook
    probe = unseen("shop_desk_probe_start")
    assert cli._app(True) is qapp
    assert table[probe] == -1

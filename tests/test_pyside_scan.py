"""PySide's feature hook does not read again the source of modules loaded before the desktop
start marked them (shop_desk.pyside_scan), and the start marks them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import types

from shop_desk import cli

#: Run in a fresh interpreter: in the test session another test may have put back the import
#: function PySide replaced (monkeypatching builtins.__import__ before PySide was loaded).
PROBE = textwrap.dedent(
    """
    import inspect, json, sys, types
    from PySide6 import QtCore  # PySide's import hook is in place from here on
    read = []
    original = inspect.getsource
    inspect.getsource = lambda obj: (read.append(obj.__name__), original(obj))[1]
    sys.modules["probe_control"] = types.ModuleType("probe_control")
    import probe_control  # a module the hook has not seen: it reads its source
    sys.modules["probe_marked"] = types.ModuleType("probe_marked")
    from shop_desk.pyside_scan import spare_source_scans
    marked = spare_source_scans()
    import probe_marked
    table = sys.modules["shibokensupport.feature"].pyside_feature_dict
    print(json.dumps({"read": read, "marked": marked, "value": table.get("probe_marked")}))
    """
)


def test_a_module_loaded_before_is_not_read_again_once_marked():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert "probe_control" in seen["read"]  # the hook reads what it has not seen (can fail)
    assert "probe_marked" not in seen["read"]
    assert seen["marked"] >= 1
    assert seen["value"] == -1  # "not taking part in feature selection", as the hook would say


def test_the_application_object_comes_with_the_modules_marked(qapp):
    from PySide6 import QtCore  # noqa: F401  (the table is PySide's)

    table = sys.modules["shibokensupport.feature"].pyside_feature_dict
    name = "shop_desk_probe_start"
    sys.modules[name] = types.ModuleType(name)
    table.pop(name, None)
    try:
        assert cli._app(True) is qapp
        assert table[name] == -1
    finally:
        sys.modules.pop(name, None)
        table.pop(name, None)

"""The bundle's specification, checked without building it (tests/test_bundle.py builds it)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from shop_desk import packaging


def test_every_platform_gets_the_forms_resources_and_every_module(tmp_path):
    args = packaging.pyinstaller_args(tmp_path / "dist", tmp_path / "work", tmp_path / "main.py")
    added = [args[i + 1] for i, a in enumerate(args) if a == "--add-data"]
    for source, target in packaging.DATA:
        assert f"{packaging.ROOT / source}{os.pathsep}{target}" in added
        assert (packaging.ROOT / source).is_dir()
    assert args[args.index("shop_desk") - 1 :][:2] == ["--collect-submodules", "shop_desk"]
    assert "--onedir" in args and str(packaging.ICON_ICO) in args
    assert args[args.index("--hide-console") + 1] == "hide-early"  # Windows: no console window


def test_the_windows_shortcut_points_at_the_bundle_with_its_icon():
    script = packaging.shortcut_script()
    assert '@("Programs", "Desktop")' in script
    assert 'Join-Path $here "shop-desk.exe"' in script
    assert 'Join-Path $here "shop-desk.ico"' in script and "WorkingDirectory = $here" in script
    assert script.count("{") == script.count("}")


def test_the_linux_menu_entry_is_a_valid_desktop_file(tmp_path):
    entry = packaging.desktop_entry()
    assert entry.startswith("[Desktop Entry]\n") and "Name[zh_CN]=shop-desk 售后服务" in entry
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed")
    path = tmp_path / "shop-desk.desktop"
    path.write_text(entry.replace("@FOLDER@", "/opt/shop-desk"), encoding="utf-8")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

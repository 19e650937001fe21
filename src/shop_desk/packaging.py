"""The application bundle for shop PCs: one folder with the program, its Python, Qt, the
forms, translations, fonts and images, started by one executable.

    uv run python -m shop_desk.packaging build [--dist DIR] [--work DIR]

builds ``dist/shop-desk/`` for the platform it runs on (Windows: ``shop-desk.exe``; Linux:
``shop-desk``; one command, the same specification everywhere: PyInstaller does not
cross-compile, so the Windows bundle is built on a Windows PC). Beside the executable:

- Linux: ``shop-desk.desktop`` (the start-menu entry, freedesktop format, as 统信 UOS and
  麒麟 Kylin read it) and ``install-desktop-entry.sh``, which writes it with this folder's
  path into ``~/.local/share/applications`` (or ``/usr/share/applications`` as root);
- Windows: ``install-shortcuts.ps1``, which makes the Start-menu and desktop shortcuts
  (:data:`WINDOWS_SHORTCUT`: target, icon, working folder, description).

PyInstaller, not pyside6-deploy: pyside6-deploy builds through Nuitka, which compiles the
program and its libraries to C — it needs a C compiler on the build PC and takes many times
longer, which the CI budget (the bundle is built and run by the test suite) cannot carry.
PyInstaller needs nothing but itself, knows PySide6, ReportLab, lxml and psycopg2 through its
hooks, builds a one-folder bundle in a few minutes, and runs the same way on Windows, Linux
and macOS. The one-folder form (not one file) starts at once: nothing is unpacked at each
start, and IT can see and replace the Qt libraries (LGPL).
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

from shop_desk import __version__

ROOT = Path(__file__).resolve().parents[2]
NAME = "shop-desk"
ICON_PNG = ROOT / "resources" / "images" / "shop-desk.png"
ICON_ICO = ROOT / "resources" / "images" / "shop-desk.ico"

#: What of the project goes into the bundle, and where shop_desk.paths finds it there
#: (``shop_desk/forms``, ``shop_desk/resources``, as in the wheel). The screenshots in
#: resources/ are the README's, not the program's.
DATA = (
    ("forms", "shop_desk/forms"),
    ("resources/fonts", "shop_desk/resources/fonts"),
    ("resources/i18n", "shop_desk/resources/i18n"),
    ("resources/images", "shop_desk/resources/images"),
)

#: Imported only by name, which PyInstaller cannot see in the code: the desk pages, screenshot
#: staging and compiled forms of shop-desk, and ReportLab's barcode kinds (its barcode package
#: imports every kind when the first barcode is drawn).
COLLECT = ("shop_desk", "reportlab.graphics.barcode")

#: Installed in the development environment but never used by the program.
EXCLUDE = (
    "tkinter",
    "pytest",
    "_pytest",
    "pytest_qt",
    "pytestqt",
    "hypothesis",
    "pypdf",
    "PyInstaller",
    "setuptools",
    "pip",
    "PySide6.QtUiTools",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
)

#: The Windows shortcut (Start menu and desktop), made by install-shortcuts.ps1.
WINDOWS_SHORTCUT = {
    "name": "shop-desk",
    "target": "shop-desk.exe",
    "icon": "shop-desk.ico",
    "description": "shop-desk 售后服务 after-sales service desk",
    "folders": ("Programs", "Desktop"),
}

DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Version=1.0
Name=shop-desk
Name[zh_CN]=shop-desk 售后服务
GenericName=After-sales service desk
GenericName[zh_CN]=汽车售后服务系统
Comment=After-sales service desk of a car dealership
Comment[zh_CN]=汽车经销商售后服务中心的桌面系统
Exec="{exe}" %U
Path={folder}
Icon={icon}
Terminal=false
Categories=Office;Finance;
StartupWMClass=shop-desk
"""

INSTALL_DESKTOP_ENTRY = """#!/bin/sh
# Adds shop-desk to the start menu: the entry with this folder's path, for the user who runs
# it (~/.local/share/applications), or for everyone when run as root.
set -e
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(id -u)" -eq 0 ]; then target=/usr/share/applications; else
    target="${XDG_DATA_HOME:-$HOME/.local/share}/applications"; fi
mkdir -p "$target"
sed -e "s|@FOLDER@|$here|g" "$here/shop-desk.desktop" > "$target/shop-desk.desktop"
chmod 644 "$target/shop-desk.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$target" || true
echo "shop-desk added to the menu ($target/shop-desk.desktop)"
"""

INSTALL_SHORTCUTS = """# Makes the Start-menu and desktop shortcuts of shop-desk for this folder's executable.
#   powershell -ExecutionPolicy Bypass -File install-shortcuts.ps1
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$shell = New-Object -ComObject WScript.Shell
foreach ($folder in @({folders})) {{
    $path = Join-Path ([Environment]::GetFolderPath($folder)) "{name}.lnk"
    $link = $shell.CreateShortcut($path)
    $link.TargetPath = Join-Path $here "{target}"
    $link.WorkingDirectory = $here
    $link.IconLocation = (Join-Path $here "{icon}") + ",0"
    $link.Description = "{description}"
    $link.Save()
    Write-Output "shortcut: $path"
}}
"""


def exe_name() -> str:
    return NAME + (".exe" if sys.platform == "win32" else "")


def pyinstaller_args(dist: Path, work: Path, launcher: Path) -> list[str]:
    """PyInstaller's command line: the one specification for every platform."""
    sep = os.pathsep
    args = [
        str(launcher),
        "--name",
        NAME,
        "--onedir",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        "--specpath",
        str(work),
        "--icon",
        str(ICON_ICO),
        # Windows: no console window when started from the shortcut, the terminal's own
        # when started from one (shop-desk --version, print, check ...)
        "--hide-console",
        "hide-early",
        "--noupx",
    ]
    for source, target in DATA:
        args += ["--add-data", f"{ROOT / source}{sep}{target}"]
    for package in COLLECT:
        args += ["--collect-submodules", package]
    for module in EXCLUDE:
        args += ["--exclude-module", module]
    return args


def shortcut_script() -> str:
    """install-shortcuts.ps1 of the Windows bundle, from :data:`WINDOWS_SHORTCUT`."""
    spec = dict(WINDOWS_SHORTCUT)
    spec["folders"] = ", ".join(f'"{f}"' for f in WINDOWS_SHORTCUT["folders"])
    return INSTALL_SHORTCUTS.format(**spec)


def desktop_entry() -> str:
    """shop-desk.desktop of the Linux bundle; install-desktop-entry.sh puts in the folder."""
    return DESKTOP_ENTRY.format(
        exe=f"@FOLDER@/{NAME}", folder="@FOLDER@", icon="@FOLDER@/shop-desk.png"
    )


def _write_extras(folder: Path) -> None:
    """Icon, start-menu entry and shortcut script beside the executable."""
    shutil.copy2(ICON_PNG, folder / "shop-desk.png")
    shutil.copy2(ICON_ICO, folder / "shop-desk.ico")
    if sys.platform == "win32":
        (folder / "install-shortcuts.ps1").write_text(shortcut_script(), encoding="utf-8-sig")
        return
    (folder / "shop-desk.desktop").write_text(desktop_entry(), encoding="utf-8")
    script = folder / "install-desktop-entry.sh"
    script.write_text(INSTALL_DESKTOP_ENTRY, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def build(dist: Path | None = None, work: Path | None = None) -> Path:
    """Build the bundle; returns its folder (``dist/shop-desk``)."""
    dist = Path(dist or ROOT / "dist").resolve()
    work = Path(work or ROOT / "build" / "pyinstaller").resolve()
    work.mkdir(parents=True, exist_ok=True)
    launcher = work / "shop_desk_main.py"
    launcher.write_text(
        "from shop_desk.cli import main\n\nraise SystemExit(main())\n", encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", *pyinstaller_args(dist, work, launcher)],
        check=True,
        cwd=work,
    )
    folder = dist / NAME
    _write_extras(folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the one-folder bundle for this platform")
    b.add_argument("--dist", type=Path, help="where the bundle folder goes (default: dist/)")
    b.add_argument("--work", type=Path, help="PyInstaller's work folder (default: build/)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    folder = build(args.dist, args.work)
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
    print(
        f"shop-desk {__version__} bundle: {folder} ({size / 2**20:.0f} MB, "
        f"built in {time.perf_counter() - started:.0f} s); start it with {folder / exe_name()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

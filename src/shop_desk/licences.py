"""What the application bundle ships and under which licence (for the About box and IT).

A fixed list, not the packages' metadata: their licence fields are free text or missing
(peewee's is empty), and the bundle would need each package's metadata copied in. The
versions are read from the installed packages where their metadata is there.
tests/test_licences.py checks that every run-time dependency in pyproject.toml is listed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata

from shop_desk import __version__
from shop_desk.paths import resource_path


@dataclass(frozen=True)
class Component:
    name: str
    #: the distribution whose version is shown ("" for what is not a Python package)
    distribution: str
    licence: str
    version: str = ""


#: Everything the bundle contains besides shop-desk itself.
COMPONENTS: tuple[Component, ...] = (
    Component("Python", "", "PSF-2.0"),
    Component("Qt for Python (PySide6, Qt 6)", "PySide6", "LGPL-3.0-only"),
    Component("Peewee", "peewee", "MIT"),
    Component("ReportLab", "reportlab", "BSD-3-Clause"),
    Component("rl-accel", "rl-accel", "BSD-3-Clause"),
    Component("svglib", "svglib", "LGPL-3.0-or-later"),
    Component("lxml", "lxml", "BSD-3-Clause"),
    Component("cssselect2", "cssselect2", "BSD-3-Clause"),
    Component("tinycss2", "tinycss2", "BSD-3-Clause"),
    Component("webencodings", "webencodings", "BSD-3-Clause"),
    Component("Pillow", "pillow", "MIT-CMU"),
    Component("openpyxl", "openpyxl", "MIT"),
    Component("et-xmlfile", "et-xmlfile", "MIT"),
    Component("psycopg2 (with libpq)", "psycopg2-binary", "LGPL-3.0-or-later WITH exceptions"),
    Component("python-dateutil", "python-dateutil", "Apache-2.0 OR BSD-3-Clause"),
    Component("tzdata", "tzdata", "Apache-2.0"),
    Component(
        "WenQuanYi Micro Hei 文泉驿微米黑 (font)",
        "",
        "Apache-2.0 OR GPL-3.0-or-later WITH Font-exception-2.0",
        "0.2.0-beta",
    ),
)

#: The font's licence file, shipped in resources/fonts/ and shown in full in the About box.
FONT_LICENCE = ("fonts", "LICENSE-wqy-microhei.txt")


def _version(component: Component) -> str:
    if component.version:
        return component.version
    if component.name == "Python":
        return ".".join(map(str, sys.version_info[:3]))
    try:
        return metadata.version(component.distribution)
    except metadata.PackageNotFoundError:
        return ""


def components() -> list[Component]:
    """The bundled components with the versions found."""
    return [Component(c.name, c.distribution, c.licence, _version(c)) for c in COMPONENTS]


def font_licence_text() -> str:
    return resource_path(*FONT_LICENCE).read_text(encoding="utf-8", errors="replace")


def version_text() -> str:
    """``shop-desk --version``: the program and the database schema it writes."""
    from shop_desk.migrations import LATEST

    return f"shop-desk {__version__} (database schema {LATEST})"

"""Every run-time dependency has its licence in the About box's list."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from shop_desk import licences

ROOT = Path(__file__).resolve().parents[1]


def test_every_dependency_is_listed_with_its_licence():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {
        re.split(r"[<>=!;~ \[]", dep, maxsplit=1)[0].lower() for dep in project["dependencies"]
    }
    listed = {c.distribution.lower() for c in licences.COMPONENTS if c.distribution}
    assert wanted <= listed, f"add to shop_desk.licences.COMPONENTS: {sorted(wanted - listed)}"
    assert all(c.licence for c in licences.COMPONENTS)


def test_the_versions_are_those_installed_and_the_font_licence_ships():
    found = {c.distribution: c.version for c in licences.components() if c.distribution}
    assert all(found.values()), found
    assert "Apache-2.0 or GPL-3+ with Font exception" in licences.font_licence_text()

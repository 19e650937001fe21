"""The wheel ships the fonts, forms and translations where ``shop_desk.paths`` looks for them.

Runs in the normal suite (a wheel build takes a few seconds): a shop installs the wheel, not the
source tree, and a missing font or .ui file shows only there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ("forms", "resources")


def _build_command(outdir: Path) -> list[str]:
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv:
        return [uv, "build", "--wheel", "--quiet", "-o", str(outdir), str(ROOT)]
    return [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(ROOT)]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        _build_command(outdir), capture_output=True, text=True, timeout=180, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    built = list(outdir.glob("shop_desk-*.whl"))
    assert len(built) == 1, built
    return built[0]


def _source_files() -> list[str]:
    """Every file under forms/ and resources/, relative to the project root."""
    found = []
    for top in BUNDLED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found.append(path.relative_to(ROOT).as_posix())
    return found


def test_wheel_contains_forms_and_resources(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "shop_desk/resources/fonts/wqy-microhei.ttf" in names
    sources = _source_files()
    assert "resources/fonts/wqy-microhei.ttf" in sources
    missing = [f for f in sources if f"shop_desk/{f}" not in names]
    assert not missing, f"not in the wheel: {missing}"
    qm_in_source = [f for f in sources if f.startswith("resources/i18n/") and f.endswith(".qm")]
    assert all(f"shop_desk/{f}" in names for f in qm_in_source)


def test_wheel_has_the_package_and_the_command(wheel: Path):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = zf.read(entry_points).decode()
    for module in (
        "__init__.py",
        "__main__.py",
        "cli.py",
        "paths.py",
        "checks.py",
        "models/__init__.py",
    ):
        assert f"shop_desk/{module}" in names
    assert "shop-desk = shop_desk.cli:main" in scripts
    assert not any(n.startswith(("tests/", "shop_desk/tests/")) for n in names)
    assert not any(n.endswith(".pyc") for n in names)


def test_installed_layout_is_found_by_paths(wheel: Path, tmp_path: Path):
    """Unpacked like an installer would, ``paths`` must find the bundled files inside the package
    (not in a source tree that no longer exists)."""
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    probe = (
        "import json, shop_desk.paths as p;"
        "print(json.dumps([p.__file__, str(p.font_path()), str(p.form_path('login.ui')),"
        " str(p.resource_path('i18n'))]))"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "SHOP_DESK_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    module, font, form, i18n_dir = (Path(p) for p in json.loads(result.stdout))
    package = site / "shop_desk"
    assert module.parent == package
    assert font == package / "resources" / "fonts" / "wqy-microhei.ttf" and font.is_file()
    assert form.parent == package / "forms"
    if (ROOT / "forms" / "login.ui").exists():
        assert form.is_file()
    assert i18n_dir.parent == package / "resources"

"""The application bundle for shop PCs builds, and runs from its folder alone.

``python -m shop_desk.packaging build`` makes the one-folder PyInstaller bundle in a temporary
folder; then the bundle's own executable is run the way a shop PC runs it: no Python on the
PATH, no virtual environment, no PYTHONPATH, another home and working folder. It prints its
version, builds the demo shop, checks it, prints a task order (read back with pypdf) and
saves the screenshots offscreen (one PNG looked at). A few minutes, in CI too (marker
``bundle``; ``-m 'not bundle'`` leaves it out locally).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shop_desk import packaging
from shop_desk.licences import version_text

pytestmark = pytest.mark.bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "shop_desk.packaging", "build", "--dist", str(out / "dist")]
        + ["--work", str(out / "work")],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(f"bundle built in {time.perf_counter() - started:.0f} s: {result.stdout.strip()}")
    folder = out / "dist" / packaging.NAME
    assert (folder / packaging.exe_name()).is_file()
    return folder


@pytest.fixture(scope="module")
def shop_pc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home, a working folder and an empty PATH: what the bundle may rely on is itself."""
    place = tmp_path_factory.mktemp("shop_pc")
    for name in ("home", "bin", "work", "data"):
        (place / name).mkdir()
    return place


def run(bundle: Path, place: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {
        "PATH": str(place / "bin"),  # nothing in it: no python, no uv
        "HOME": str(place / "home"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "SHOP_DESK_DATA_DIR": str(place / "data"),
    }
    if sys.platform == "win32":
        env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
    result = subprocess.run(
        [str(bundle / packaging.exe_name()), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=place / "work",
        timeout=timeout,
    )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result


def test_the_bundle_holds_the_forms_translations_fonts_images_and_menu_entry(bundle):
    inside = next(p for p in (bundle / "_internal", bundle) if (p / "shop_desk").is_dir())
    for part in (
        "forms/login.ui",
        "resources/fonts/wqy-microhei.ttf",
        "resources/fonts/LICENSE-wqy-microhei.txt",
        "resources/i18n/shop_desk_zh_CN.qm",
        "resources/images/car_diagram.svg",
        "resources/images/shop-desk.png",
    ):
        assert (inside / "shop_desk" / part).is_file(), part
    assert not list(bundle.rglob("pytest*")) and not list(bundle.rglob("QtUiTools*"))
    if sys.platform == "win32":
        script = (bundle / "install-shortcuts.ps1").read_text(encoding="utf-8-sig")
        assert "shop-desk.exe" in script and "CreateShortcut" in script
    else:
        entry = (bundle / "shop-desk.desktop").read_text(encoding="utf-8")
        assert 'Exec="@FOLDER@/shop-desk"' in entry and "Icon=@FOLDER@/shop-desk.png" in entry
        assert os.access(bundle / "install-desktop-entry.sh", os.X_OK)


def test_the_bundle_runs_on_a_pc_without_python(bundle, shop_pc):
    import pypdf
    from PIL import Image

    version = run(bundle, shop_pc, "--version")
    assert version.returncode == 0 and version.stdout.strip() == version_text()

    db = shop_pc / "work" / "shop.db"
    demo = run(bundle, shop_pc, "demo", "--no-gui", "--db", str(db))
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert db.is_file()

    check = run(bundle, shop_pc, "--lang", "en", "check", "--db", str(db))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no problems found" in check.stdout

    orders = run(bundle, shop_pc, "orders", "--db", str(db))
    assert orders.returncode == 0, orders.stderr
    number, plate = orders.stdout.splitlines()[0].split("\t")[0:3:2]
    pdf_path = shop_pc / "work" / "task-order.pdf"
    printed = run(
        bundle, shop_pc, "--lang", "en", "print", "task-order", number, "--db", str(db),
        "-o", str(pdf_path),
    )  # fmt: skip
    assert printed.returncode == 0, printed.stdout + printed.stderr
    text = " ".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf_path.read_bytes())).pages
    )
    # the plate as the desk lists it (苏EKLU1R) and as the form prints it (苏E·KLU1R)
    assert "Task order" in text and number in text and plate in text.replace("·", "")

    shots = shop_pc / "work" / "shots"
    saved = run(bundle, shop_pc, "--lang", "zh_CN", "screenshots", str(shots), "--db", str(db))
    assert saved.returncode == 0, saved.stderr[-2000:]
    pngs = sorted(shots.glob("*.png"))
    assert len(pngs) > 50
    board = shots / "main_workshop.png"  # the workshop board in the main window
    with Image.open(board) as image:
        assert image.width >= 1000 and image.height >= 600
        colours = image.convert("RGB").resize((200, 120)).getcolors(maxcolors=100_000)
        assert colours is not None and len(colours) > 50  # a drawn screen, not a blank one

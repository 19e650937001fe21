"""The service layer and printing work without Qt: imported, used and printing with PySide6
blocked (issue 16). Runs in a fresh interpreter so this test process's own PySide6 does not
count."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import datetime as dt
    import importlib
    import io
    import pkgutil
    import sys
    import tempfile
    from pathlib import Path


    class NoQt:
        '''Refuses PySide6 and shiboken6, as on a machine without them.'''

        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6"):
                raise ImportError(f"{name} is blocked in this test")
            return None


    sys.meta_path.insert(0, NoQt())

    import shop_desk.printing
    import shop_desk.services

    imported = []
    for package in (shop_desk.services, shop_desk.printing):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
            imported.append(info.name)

    from PIL import Image, ImageDraw

    from shop_desk import clock
    from shop_desk.db import close_database, open_database
    from shop_desk.printing import render_document
    from shop_desk.seed import sample_shop
    from shop_desk.services import customers, reception

    def png(size, draw_line):
        image = Image.new("RGBA", size, (255, 255, 255, 0))
        if draw_line:
            ImageDraw.Draw(image).line(
                [(20, 80), (120, 30), (200, 90), (330, 40)], fill=(20, 30, 120, 255), width=4
            )
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    clock.set_now(dt.datetime(2026, 11, 2, 9, 0))
    with tempfile.TemporaryDirectory() as folder:
        open_database(Path(folder) / "shop.db")
        staff = sample_shop()
        advisor = staff["advisor"]
        owner = customers.create_customer(advisor, "王先生", "13800138000")
        car = customers.create_vehicle(
            advisor, owner, "LSVAU2A37N2123458", plate="沪A12345", make="大众", model="帕萨特",
            odometer_km=12000,
        )
        order = reception.check_in(advisor, car, odometer_km=12500, complaint_text="保养").order
        reception.record_inspection(
            advisor, order, fuel_level=50, odometer_km=12500,
            photos=[("front", png((64, 48), True))],
        )
        signed = reception.analyse_signature(png((360, 120), True))
        blank = reception.analyse_signature(png((360, 120), False))
        assert signed.ok and signed.ink_pixels > 100, signed
        assert not blank.ok and blank.ink_pixels == 0, blank
        assert not reception.analyse_signature(b"not an image").ok
        pdf = render_document("check-in", order.number)
        close_database()

    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000, pdf[:20]
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
    assert not loaded, loaded
    print("imported", len(imported), "modules; printed", len(pdf), "bytes")
    """
)


def test_services_and_printing_work_without_qt(tmp_path):
    env = dict(os.environ, SHOP_DESK_DATA_DIR=str(tmp_path))
    env.pop("SHOP_DESK_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "imported" in done.stdout
    # every service module and every printing module was imported
    count = int(done.stdout.split()[1])
    assert count >= 30, done.stdout

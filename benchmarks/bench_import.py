"""Time moving in from an old system (not a test): customers with their cars, then history.

    uv run python benchmarks/bench_import.py [--customers 60000] [--lines 500000]

Builds a sample shop in a temporary SQLite file, writes the old system's two files as Chinese
Excel would (GB18030 CSV with Chinese headers): customers with one car each, and service
history of about four job lines per order; then reads, judges and imports each through
:mod:`shop_desk.services.importing` as the administrator. Issue 20's target: 60,000 customers
with their cars and 500,000 history lines in under two minutes in all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_S = 120.0
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _vin(n: int) -> str:
    from shop_desk.validation import vin_check_digit

    base = f"LSVAU2A30{n:08d}"
    return base[:8] + vin_check_digit(base) + base[9:]


def write_files(folder: Path, customers: int, lines: int) -> tuple[Path, Path]:
    """The old system's customers (with cars) and history files, GB18030 CSV."""
    people = folder / "客户车辆.csv"
    rows = ["客户名称,联系电话,车牌号,车架号,品牌,车型,购车日期,行驶里程"]
    for n in range(customers):
        plate = f"沪{PLATE_LETTERS[n // 100000]}{n % 100000:05d}"
        rows.append(f"客户{n},139{n:08d},{plate},{_vin(n)},大众,帕萨特,2019-03-01,90000")
    people.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    history = folder / "维修历史.csv"
    rows = ["工单号,进厂日期,车架号,里程,维修项目,类别,金额,付费方式"]
    start = dt.date(2019, 6, 1)
    per_order = 4
    orders = max(1, lines // per_order)
    for k in range(orders):
        car = k % customers
        visit = k // customers
        day = (start + dt.timedelta(days=120 * visit + car % 90)).isoformat()
        km = 5000 + 8000 * visit
        vin = _vin(car)
        for j in range(per_order):
            kind, item, amount = (
                ("工时", "常规保养", "180"),
                ("配件", "机油", "268.50"),
                ("配件", "机油滤清器", "45"),
                ("工时", "检查", "0"),
            )[j]
            rows.append(f"W{k:07d},{day},{vin},{km if j == 0 else ''},{item},{kind},{amount},")
    history.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    return people, history


def run(customers: int, lines: int) -> list[tuple[str, float, str]]:
    """(name, seconds, detail) of each step and the total, in a fresh sample shop."""
    from shop_desk import clock
    from shop_desk.db import close_database, open_database
    from shop_desk.models import Staff
    from shop_desk.seed import sample_shop
    from shop_desk.services import importing
    from shop_desk.services.import_files import guess_mapping, read_table

    folder = Path(tempfile.mkdtemp(prefix="shop-desk-import-"))
    clock.set_now(dt.datetime(2026, 11, 2, 9, 0))
    open_database(folder / "shop.db")
    try:
        sample_shop()
        admin = Staff.get(Staff.login == "admin")
        people, history = write_files(folder, customers, lines)
        out = []
        total = 0.0
        for kind, path in (("customers", people), ("history", history)):
            began = time.perf_counter()
            table = read_table(path)
            read_s = time.perf_counter() - began
            result = importing.apply_import(
                admin, kind, table, guess_mapping(kind, table.headers), "bench"
            )
            spent = time.perf_counter() - began
            total += spent
            made = {k: v for k, v in result.counts.items() if v and k.endswith("created")}
            out.append((f"import_{kind}", spent, f"read {read_s:.1f} s; {made}"))
        out.append(("import_total", total, f"{customers} customers, {lines} lines"))
        return out
    finally:
        close_database()
        clock.set_now(None)
        for leftover in sorted(folder.iterdir(), reverse=True):
            leftover.unlink()
        folder.rmdir()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=60000)
    parser.add_argument("--lines", type=int, default=500000)
    args = parser.parse_args(argv)
    for name, seconds, detail in run(args.customers, args.lines):
        print(f"{name:<20} {seconds:8.1f} s   {detail}")
    print(f"target: import_total under {TARGET_S:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

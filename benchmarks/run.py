"""Speed and memory of shop-desk on a large shop database, each figure beside its target.

    uv run python benchmarks/run.py [--quick] [--json FILE] [--db PATH]

The full run uses (and builds once, into benchmarks/.cache/) the ten-year database
(``shop-desk demo --years 10 --orders-per-day 80``); ``--quick`` uses one year at 20 orders a
day and fewer rounds. Start-up is measured against a bare PySide6 window started the same way
in the same run, and reported as a ratio. Not part of the test suite: timings belong here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass
class Metric:
    name: str
    value: float
    unit: str
    target: float
    detail: str = ""

    @property
    def met(self) -> bool:
        return self.value <= self.target


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def build_db(quick: bool, path: Path | None) -> Path:
    if path:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / ("quick-1y-20.db" if quick else "ten-year-80.db")
    if not target.exists():
        years, per_day = (1, 20) if quick else (10, 80)
        print(f"building {target.name} ({years} years, {per_day} orders/day) ...", flush=True)
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "shop_desk",
                "demo",
                "--no-gui",
                "--db",
                str(target),
                "--years",
                str(years),
                "--orders-per-day",
                str(per_day),
            ],
            check=True,
        )
        print(f"built in {time.perf_counter() - t:.1f} s", flush=True)
    return target


BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QWidget
from PySide6.QtCore import QTimer
app = QApplication(sys.argv)
w = QWidget(); w.resize(400, 300); w.show()
QTimer.singleShot(0, lambda: (print(f"SHOWN {time.time():.6f}", flush=True), app.quit()))
app.exec()
"""


def _child_start(cmd: list[str], marker: str, env: dict[str, str]) -> float:
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    for line in proc.stdout.splitlines():
        if line.startswith(marker):
            return (float(line.split()[1]) - t0) * 1000
    raise RuntimeError(f"no {marker} from {cmd}: {proc.stdout[-500:]} {proc.stderr[-500:]}")


def bench_startup(db: Path, rounds: int) -> list[Metric]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SHOP_DESK_BENCH_EXIT_AT_LOGIN="1")
    # A shop PC starts from compiled bytecode (uv compiles on install; Python caches the rest
    # after the first start): measure that, not a first start with compiling.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False, env=env)
    _child_start([sys.executable, "-c", BARE], "SHOWN", env)  # warm-up: caches and bytecode
    _child_start([sys.executable, "-m", "shop_desk", "--db", str(db)], "LOGIN_SHOWN", env)
    bare, app = [], []
    for _ in range(rounds):  # interleaved so machine load affects both alike
        bare.append(_child_start([sys.executable, "-c", BARE], "SHOWN", env))
        app.append(
            _child_start([sys.executable, "-m", "shop_desk", "--db", str(db)], "LOGIN_SHOWN", env)
        )
    b, a = statistics.median(bare), statistics.median(app)
    return [
        Metric("startup_bare_pyside6_window", b, "ms", float("inf"), "baseline"),
        Metric("startup_to_login_window", a, "ms", 1.5 * b, f"ratio {a / b:.2f} (target <= 1.5)"),
        Metric("startup_ratio", a / b, "x", 1.5),
    ]


def bench_search(rounds: int) -> list[Metric]:
    from shop_desk.models import Customer, RepairOrder, Vehicle
    from shop_desk.services.search import search

    v = Vehicle.select().order_by(Vehicle.id.desc()).first()
    c = Customer.select().order_by(Customer.id.desc()).first()
    o = RepairOrder.select().order_by(RepairOrder.id.desc()).first()
    words = [v.plate.replace("·", "")[1:], c.phone[3:], v.vin[-6:], c.name, o.number[2:]]
    times: list[float] = []
    for _ in range(rounds):
        for word in words:
            for n in range(1, len(word) + 1):  # one call per keystroke
                prefix = word[:n]
                t = time.perf_counter()
                search(prefix)
                times.append((time.perf_counter() - t) * 1000)
    return [
        Metric(
            "search_keystroke_median",
            statistics.median(times),
            "ms",
            5.0,
            f"{len(times)} keystrokes",
        ),
        Metric("search_keystroke_p95", p95(times), "ms", 15.0),
    ]


def _order_with_lines(n: int):
    import peewee

    from shop_desk.models import JobLine, RepairOrder

    row = (
        JobLine.select(JobLine.order, peewee.fn.COUNT(JobLine.id).alias("n"))
        .group_by(JobLine.order)
        .order_by(peewee.fn.COUNT(JobLine.id).desc())
        .first()
    )
    order = RepairOrder.get_by_id(row.order_id)
    have = JobLine.select().where(JobLine.order == order).count()
    template = JobLine.select().where(JobLine.order == order).first()
    rows = []
    for i in range(have, n):
        data = {k: v for k, v in template.__data__.items() if k != "id"}
        data["sort"] = 100 + i
        rows.append(data)
    if rows:
        JobLine.insert_many(rows).execute()
    return order


def bench_open_order(rounds: int) -> list[Metric]:
    from shop_desk.services import documents

    order = _order_with_lines(60)
    times = timed(lambda: documents.task_order_data(order.number), rounds)
    return [
        Metric("open_order_60_lines", statistics.median(times), "ms", 50.0, f"order {order.number}")
    ]


def bench_board(rounds: int, db: Path) -> list[Metric]:
    from shop_desk.services.board import board_cards

    cards = board_cards()
    times = timed(board_cards, rounds)
    out = [
        Metric(
            "board_full_refresh", statistics.median(times), "ms", 30.0, f"{len(cards)} open orders"
        )
    ]
    try:
        from shop_desk.changes import ChangeWatcher
    except ImportError:
        return out
    watcher = ChangeWatcher(str(db))
    watcher.changed()
    idle = timed(watcher.changed, rounds * 20)
    out.append(Metric("board_idle_change_check", statistics.median(idle), "ms", 1.0))
    return out


def bench_print(rounds: int) -> list[Metric]:
    from shop_desk.models import RepairOrder
    from shop_desk.printing import render_document

    order = _order_with_lines(60)
    settled = (
        RepairOrder.select()
        .where(RepairOrder.state == "closed")
        .order_by(RepairOrder.id.desc())
        .first()
    )
    render_document("task-order", order.number)  # font loading happens once per process
    task = timed(lambda: render_document("task-order", order.number), rounds)
    slip = timed(lambda: render_document("settlement", settled.number), rounds)
    return [
        Metric("print_task_order_60_lines", statistics.median(task), "ms", 60.0),
        Metric("print_settlement_slip", statistics.median(slip), "ms", 60.0),
    ]


def bench_reports(rounds: int) -> list[Metric]:
    import datetime as dt

    from shop_desk.services import reports

    today = dt.date.today()
    last = today.replace(day=1) - dt.timedelta(days=1)
    month = timed(lambda: reports.monthly_report(last.year, last.month), rounds)
    year = timed(
        lambda: reports.range_report(today - dt.timedelta(days=365), today), max(1, rounds // 2)
    )
    return [
        Metric("monthly_report", statistics.median(month), "ms", 500.0),
        Metric("yearly_report", statistics.median(year), "ms", 3000.0),
    ]


MEMORY = """
import os, resource, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from shop_desk.app import create_application
app = create_application("en")
from shop_desk.db import open_database
open_database(sys.argv[1])
from shop_desk.models import Staff
from shop_desk.ui.main_window import MainWindow, pages_for
staff = Staff.get(Staff.login == "admin")
w = MainWindow(staff); w.resize(1600, 1000); w.show(); app.processEvents()
for key in ("workshop", "follow_up", "reception", "checkout"):
    try:
        w.show_page(key)
    except Exception:
        pass
    app.processEvents()
print("RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""


def bench_memory(db: Path) -> list[Metric]:
    proc = subprocess.run(
        [sys.executable, "-c", MEMORY, str(db)], capture_output=True, text=True, timeout=300
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RSS_KB"):
            return [
                Metric("peak_memory_main_board_report", int(line.split()[1]) / 1024, "MB", 250.0)
            ]
    return [Metric("peak_memory_main_board_report", float("nan"), "MB", 250.0, proc.stderr[-300:])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--db", type=Path, help="use this database instead of the cached one")
    args = parser.parse_args(argv)
    rounds = 5 if args.quick else 15
    source = build_db(args.quick, args.db)
    # work on a copy: the benchmark adds lines to one order
    work = Path(tempfile.mkdtemp()) / "bench.db"
    import shutil

    shutil.copyfile(source, work)
    from shop_desk.i18n import ensure_core_app

    ensure_core_app()
    from shop_desk.db import open_database

    open_database(work)
    metrics: list[Metric] = []
    for label, fn in (
        ("search", lambda: bench_search(max(1, rounds // 5))),
        ("open order", lambda: bench_open_order(rounds)),
        ("board", lambda: bench_board(rounds, work)),
        ("print", lambda: bench_print(rounds)),
        ("reports", lambda: bench_reports(rounds)),
    ):
        try:
            metrics += fn()
        except Exception as exc:  # report and go on: one broken part should not hide the rest
            print(f"{label}: failed: {exc!r}", file=sys.stderr)
    metrics += bench_startup(work, 3 if args.quick else 7)
    metrics += bench_memory(work)
    width = max(len(m.name) for m in metrics)
    print(f"\n{'metric':<{width}}  {'value':>10}  {'target':>10}  met")
    for m in metrics:
        target = "-" if m.target == float("inf") else f"{m.target:.2f}"
        print(
            f"{m.name:<{width}}  {m.value:>8.2f}{m.unit:>2}  {target:>10}  {'yes' if m.met else 'NO '}  {m.detail}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "name": m.name,
                        "value": round(m.value, 3),
                        "unit": m.unit,
                        "target": None if m.target == float("inf") else m.target,
                        "met": m.met,
                    }
                    for m in metrics
                ],
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A full shop's load (issue 24): desks and boards as separate processes on one database.

    uv run python benchmarks/load.py --db postgresql://user:pw@host/emptydb --minutes 10
    uv run python benchmarks/load.py --db /tmp/load.db --minutes 10        # SQLite, one PC
    uv run python benchmarks/load.py --db ... --knee --knee-minutes 3      # double the desks

Why separate processes: a real shop runs one app per PC, each with its own connection and
its own Python interpreter, so lock waits, serialization failures and the CPU contend as
they would at the counters. Every desk process opens the database itself and calls the same
service functions the windows call, as the sample shop's real staff, through the steps of
:class:`shop_desk.demo.DemoBuilder` (receive, hand_over, dispatch, …). The builder normally
pins the clock; here its ``at``/``later`` do nothing, so every process runs on the real clock
and the timestamps the desks write are the ones the boards compare against.

Pace (``--speed N``): a busy day is 150 orders in 9 working hours (one arrival every 216 s for
the whole shop); the reception desks together receive N times that (at ``--scale S``, S times
more desks, each at the same pace, so S times the cars). The sample shop has five
technicians (40 labour hours a day) while 150 orders carry about 180 labour hours, so labour
time is compressed ``LABOUR_SQUEEZE`` times more than the day: a one-hour job takes
``3600 / N / LABOUR_SQUEEZE`` seconds on the tablet. Desks look at their work lists like a
person does (every ``LIST_POLL`` s when idle) and pick one order at random from the list. The
reception desks all see every ready car, so two advisors can go for the same car: the loser gets
the conflict message. Desks of the other kinds share their cars out when there are several of
them (one till per customer, one counter per pick list, one tablet per technician's car).

Outcomes of a timed operation: ``ok``; ``conflict`` (ConflictError: stale version, or
TransitionRefused: the order moved on meanwhile: what the user sees when a colleague was
faster); ``refused`` (another DomainError, e.g. "the database is busy": told to the user but
not a conflict); ``error`` (anything else). Not part of the test suite: timings depend on the
machine (this one has 2 cores shared with other work).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import multiprocessing as mp
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: A busy day: orders through every step, in working hours.
DAY_ORDERS, DAY_HOURS = 150, 9.0
#: Labour is compressed this much more than the day (see the module's docstring).
LABOUR_SQUEEZE = 6.0
#: How often an idle desk re-reads its work list (seconds, real time).
LIST_POLL = 1.0
#: The board's poll interval (``shop_desk.ui.workshop.board.POLL_MS``).
BOARD_POLL_S = 0.5
#: Targets of the issue.
TARGET_OP_P95_MS = 100.0
TARGET_BOARD_S = 1.0
RECEPTION, CASHIERS, PARTS, TECH_TABLETS, FLOOR_TABLETS, BOARDS = 4, 1, 1, 5, 1, 3
TECHS = ("leader1", "tech1", "tech2", "leader2", "tech3")


@dataclass
class DeskSpec:
    """One desk process: what it does (jobs), for whom (tech), and which share of the cars."""

    name: str
    jobs: tuple[str, ...]
    tech: str | None = None
    share: tuple[int, int] = (0, 1)  # (index, of): this desk's part of its kind's cars
    arrival_s: float = 0.0  # mean seconds between cars this desk receives (0: none)


def layout(scale: int, speed: float, small: bool = False) -> list[DeskSpec]:
    """The shop's desks at ``scale`` (1: 4 reception, 1 cashier, 1 parts counter, 6 tablets;
    each doubled at 2, …). ``small``: two desks (reception, and one doing every other job),
    for the smoke test."""
    shop_gap = DAY_HOURS * 3600 / DAY_ORDERS / speed  # seconds between cars, whole shop
    if small:
        return [
            DeskSpec("reception-1", ("receive", "deliver"), arrival_s=shop_gap),
            DeskSpec(
                "workshop-1",
                ("dispatch", "tech", "parts", "qc", "wash", "settle", "leave"),
                tech="*",
            ),
        ]
    n_rec = RECEPTION * scale
    desks = [
        # each desk at the pace of scale 1: twice the desks receive twice the cars
        DeskSpec(
            f"reception-{i + 1}",
            ("receive", "deliver"),
            share=(i, n_rec),
            arrival_s=shop_gap * RECEPTION,
        )
        for i in range(n_rec)
    ]
    # Each customer pays at one till, each technician's pick list is at one counter and the
    # supervisors split the floor: at scale 2 and more these desks share their cars out, as
    # the tablets do. Reception desks all look at every ready car (any free advisor takes the
    # next customer), so two may go for the same car: the conflicts the load counts.
    n_cash, n_parts = CASHIERS * scale, PARTS * scale
    desks += [
        DeskSpec(f"cashier-{i + 1}", ("settle", "leave"), share=(i, n_cash)) for i in range(n_cash)
    ]
    desks += [DeskSpec(f"parts-{i + 1}", ("parts",), share=(i, n_parts)) for i in range(n_parts)]
    for copy in range(scale):
        for login in TECHS:
            desks.append(
                DeskSpec(f"tablet-{login}-{copy + 1}", ("tech",), tech=login, share=(copy, scale))
            )
        desks += [
            DeskSpec(f"tablet-floor-{copy + 1}", ("dispatch", "qc", "wash"), share=(copy, scale))
            for _ in range(FLOOR_TABLETS)
        ]
    return desks


# ------------------------------------------------------------------------------------------
# measuring inside a process


@dataclass
class Recorder:
    """Timings and outcomes of one process, written to a JSON file when it ends."""

    name: str
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    samples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    events: list[tuple[float, int, str | None]] = field(default_factory=list)
    reads: list[tuple[float, float, dict[int, str]]] = field(default_factory=list)
    steps: Counter = field(default_factory=Counter)
    busy_retries: int = 0
    retries: Counter = field(default_factory=Counter)  # busy retries per operation kind
    current: str = ""  # the outermost timed operation running now
    slow: list[tuple[str, float, str, int]] = field(default_factory=list)  # over the target
    depth: int = 0
    last_commit: float = 0.0

    def record(self, kind: str, seconds: float, outcome: str, message: str = "") -> None:
        self.times[kind].append(seconds)
        self.outcomes[kind][outcome] += 1
        if outcome != "ok" and len(self.samples[kind]) < 5 and message not in self.samples[kind]:
            self.samples[kind].append(f"{outcome}: {message}"[:300])

    def dump(self, path: Path) -> None:
        path.write_text(
            json.dumps(
                {
                    "name": self.name,
                    "times": self.times,
                    "outcomes": {k: dict(v) for k, v in self.outcomes.items()},
                    "samples": self.samples,
                    "events": self.events,
                    "reads": [(a, b, list(c.items())) for a, b, c in self.reads],
                    "steps": dict(self.steps),
                    "busy_retries": self.busy_retries,
                    "retries": dict(self.retries),
                    "slow": self.slow,
                }
            )
        )


def classify(exc: BaseException) -> str:
    """What the user saw: a conflict (a colleague was faster), another refusal, or an error."""
    from shop_desk.errors import ConflictError, DomainError, TransitionRefused

    if isinstance(exc, ConflictError | TransitionRefused):
        return "conflict"
    if isinstance(exc, DomainError):
        return "refused"
    return "error"


def timed(rec: Recorder, kind: str, fn: Callable[..., Any], *, save: bool) -> Callable[..., Any]:
    """``fn`` timed as one operation ``kind`` (only the outermost of nested calls counts);
    a save also stamps the commit time the boards are measured against."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if rec.depth:
            return fn(*args, **kwargs)
        rec.depth += 1
        rec.current = kind
        retried = rec.busy_retries
        t = time.perf_counter()
        outcome = "ok"
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            outcome = classify(exc)
            rec.record(kind, time.perf_counter() - t, outcome, str(exc))
            raise
        finally:
            rec.depth -= 1
            took = time.perf_counter() - t
            if took * 1000 > TARGET_OP_P95_MS and len(rec.slow) < 100:
                rec.slow.append((kind, took * 1000, outcome, rec.busy_retries - retried))
        rec.record(kind, took, "ok")
        if save:
            rec.last_commit = time.time()
        return result

    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    return wrapper


def instrument(rec: Recorder) -> None:
    """Time every service call the desks make (patched on the modules the demo builder calls
    through), the reads the windows make on opening a dialog, and count busy retries."""
    from shop_desk.services import (
        appointments,
        base,
        checkout,
        customers,
        parts,
        reception,
        workshop,
    )

    for module in (appointments, checkout, customers, parts, reception, workshop):
        for name, obj in list(vars(module).items()):
            if callable(obj) and hasattr(obj, "roles") and hasattr(obj, "action"):
                setattr(
                    module,
                    name,
                    timed(rec, f"{module.__name__.split('.')[-1]}.{name}", obj, save=True),
                )
    for module, name in (
        (checkout, "settlement_preview"),
        (reception, "suggested_promised_time"),
        (checkout, "delivery_check_items"),
    ):
        setattr(
            module,
            name,
            timed(
                rec, f"{module.__name__.split('.')[-1]}.{name}", getattr(module, name), save=False
            ),
        )
    original = base._is_busy

    def counting(exc: Exception) -> bool:
        busy = original(exc)
        rec.busy_retries += busy
        if busy:
            rec.retries[rec.current or "?"] += 1
        return busy

    base._is_busy = counting


# ------------------------------------------------------------------------------------------
# a desk


def _open(db: str) -> None:
    from shop_desk.db import open_database
    from shop_desk.i18n import ensure_core_app

    ensure_core_app()
    open_database(db)


class Desk:
    """One desk process: picks work from the database and takes it one step on."""

    def __init__(self, spec: DeskSpec, speed: float, end: float, seed: int) -> None:
        from shop_desk.demo import Cast, DemoBuilder
        from shop_desk.models import Staff

        class LiveBuilder(DemoBuilder):
            """The demo's steps on the real clock."""

            def at(self, when: dt.datetime) -> None:
                pass

            def later(self, minutes: int) -> None:
                pass

        self.spec, self.speed, self.end = spec, speed, end
        self.rng = random.Random(seed)
        self.b = LiveBuilder(seed, dt.date.today())
        self.b.staff = Cast({s.login: s for s in Staff.select()})
        self.rec = Recorder(spec.name)
        self.next_arrival = time.time() + self.rng.uniform(0, spec.arrival_s or 1)
        self.made = 0

    # -- helpers ---------------------------------------------------------------------------
    def read(self, kind: str, fn: Callable[[], Any]) -> Any:
        return timed(self.rec, kind, fn, save=False)()

    def step(self, kind: str, order_id: int, fn: Callable[[], Any]) -> bool:
        """Run one step of an order (a few saves); note the order's state and commit time for
        the boards. False when it was refused (already recorded on the failing call)."""
        from shop_desk.models import RepairOrder

        self.rec.last_commit = 0.0
        try:
            fn()
        except Exception as exc:  # recorded by the timed call that raised
            outcome = classify(exc)
            self.rec.steps[f"{kind}:{outcome}"] += 1
            if self.rec.depth == 0 and outcome == "error" and not self.rec.samples.get("step"):
                self.rec.samples["step"].append(f"{kind}: {type(exc).__name__}: {exc}"[:300])
            self._rollback()
            ok = False
        else:
            self.rec.steps[kind] += 1
            ok = True
        if self.rec.last_commit:
            row = RepairOrder.select(RepairOrder.state).where(RepairOrder.id == order_id).first()
            self.rec.events.append((self.rec.last_commit, order_id, row.state if row else None))
        return ok

    def _rollback(self) -> None:
        from shop_desk.db import database

        db = database.obj
        if db.in_transaction():
            db.rollback()

    def orders(self, kind: str, *states: str) -> list[Any]:
        from shop_desk.models import RepairOrder

        return self.read(
            f"list.{kind}",
            lambda: list(
                RepairOrder.select(RepairOrder.id, RepairOrder.technician, RepairOrder.version)
                .where(RepairOrder.state.in_(states))
                .order_by(RepairOrder.id)
            ),
        )

    # -- the loop --------------------------------------------------------------------------
    def run(self) -> Recorder:
        while time.time() < self.end:
            if "receive" in self.spec.jobs and time.time() >= self.next_arrival:
                self.receive()
                gap = self.spec.arrival_s
                self.next_arrival += self.rng.uniform(0.5 * gap, 1.5 * gap)
                continue
            did = False
            for job in self.rng.sample(self.spec.jobs, len(self.spec.jobs)):
                if job != "receive" and getattr(self, f"job_{job}")():
                    did = True
                    break
            if not did:
                wait = LIST_POLL
                if "receive" in self.spec.jobs:
                    wait = min(wait, max(0.0, self.next_arrival - time.time()))
                time.sleep(max(0.0, min(wait, self.end - time.time())))
            else:
                time.sleep(min(0.3, 30 / self.speed))  # the person moves on to the next thing
        return self.rec

    # -- reception ---------------------------------------------------------------------------
    def type_search(self, text: str) -> list[Any]:
        """Keystroke by keystroke, as the search box asks on each one."""
        from shop_desk.services import search

        hits: list[Any] = []
        for i in range(1, len(text) + 1):
            hits = self.read("search.keystroke", lambda i=i: search.search(text[:i]))
        return hits

    def receive(self) -> None:
        """A car at the desk: found by its plate (a returning customer) or, not found by the
        phone number, a new customer and car created; then received, signed, handed over."""
        from shop_desk.demo_data import CARS, COLOURS, COMPLAINTS, GIVEN, SURNAMES, make_vin
        from shop_desk.models import RepairOrder, Vehicle
        from shop_desk.services import customers
        from shop_desk.states import OPEN_STATES

        rng = self.rng
        vehicle = None
        if rng.random() < 0.5:
            busy = RepairOrder.select(RepairOrder.vehicle).where(
                RepairOrder.state.in_([s.value for s in OPEN_STATES])
            )
            free = list(
                Vehicle.select(Vehicle.id, Vehicle.plate)
                .where(Vehicle.id.not_in(busy) & Vehicle.owner.is_null(False))
                .order_by(Vehicle.id)
            )
            mine = [v for v in free if v.id % 97 % self.spec.share[1] == self.spec.share[0]] or free
            if mine:
                pick = rng.choice(mine)
                hits = self.type_search(pick.plate)
                if any(h.vehicle_id == pick.id for h in hits):
                    vehicle = Vehicle.get_by_id(pick.id)
        if vehicle is None:
            phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
            self.type_search(phone)
            n = rng.randrange(1_000_000)
            make, model, prefix = CARS[n % len(CARS)]

            def create() -> None:
                nonlocal vehicle
                cust = customers.create_customer(
                    self.b.staff["advisor"], rng.choice(SURNAMES) + rng.choice(GIVEN), phone
                )
                plate = (
                    "沪"
                    + rng.choice("ABCDEFGHJKLMN")
                    + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5))
                )
                vehicle = customers.create_vehicle(
                    self.b.staff["advisor"],
                    cust,
                    make_vin(prefix, n),
                    plate,
                    make=make,
                    model=model,
                    year=2022,
                    colour=rng.choice(COLOURS),
                    odometer_km=rng.randint(1000, 90000),
                )

            if not self.step("new_customer", 0, create) or vehicle is None:
                return
        holder: dict[str, Any] = {}
        complaint = rng.randrange(len(COMPLAINTS))
        # body-and-paint (6 h) only now and then, as in a real mix
        if COMPLAINTS[complaint][1] == "BODY-PNT" and rng.random() < 0.8:
            complaint = 0

        def receive() -> None:
            holder["order"] = self.b.receive(vehicle, dt.datetime.now(), complaint, booked=False)

        if not self.step("receive", 0, receive):
            return
        order = holder["order"]
        self.rec.events.append((self.rec.last_commit, order.id, order.state))
        self.made += 1
        self.step("hand_over", order.id, lambda: self.b.hand_over(order))

    def _pick(self, kind: str, *states: str) -> Any:
        rows = self._mine(self.orders(kind, *states))
        return self.rng.choice(rows) if rows else None

    def _mine(self, rows: list[Any]) -> list[Any]:
        """This desk's share of the cars (all of them for a desk of a kind it is alone of)."""
        index, of = self.spec.share
        return [r for r in rows if r.id % of == index] if of > 1 else rows

    def _order(self, row: Any) -> Any:
        from shop_desk.models import RepairOrder

        return self.read("open_order", lambda: RepairOrder.get_by_id(row.id))

    def job_deliver(self) -> bool:
        rows = self.orders("deliver", "ready")  # every ready car: any free advisor takes it
        row = self.rng.choice(rows) if rows else None
        if row is None:
            return False
        order = self._order(row)
        self.step("deliver", order.id, lambda: self.b.deliver(order))
        return True

    # -- cashier ---------------------------------------------------------------------------
    def job_settle(self) -> bool:
        row = self._pick("settle", "delivered")
        if row is None:
            return False
        order = self._order(row)
        self.step("settle", order.id, lambda: self.b.settle(order))
        return True

    def job_leave(self) -> bool:
        row = self._pick("leave", "settled")
        if row is None:
            return False
        order = self._order(row)
        self.step("leave", order.id, lambda: self.b.leave(order))
        return True

    # -- parts counter ---------------------------------------------------------------------
    def job_parts(self) -> bool:
        from shop_desk.models import JobLine, RepairOrder

        rows = self.read(
            "list.parts",
            lambda: list(
                RepairOrder.select(RepairOrder.id)
                .join(JobLine, on=(JobLine.order == RepairOrder.id))
                .where(
                    RepairOrder.state.in_(("in_progress", "waiting_parts"))
                    & RepairOrder.technician.is_null(False)
                    & (JobLine.kind == "part")
                    & (JobLine.auth_state == "authorised")
                    & (JobLine.parts_issued < JobLine.quantity)
                )
                .distinct()
            ),
        )
        rows = self._mine(rows)
        if not rows:
            return False
        order = self._order(self.rng.choice(rows))
        self.step("issue_parts", order.id, lambda: self.b.issue_parts(order))
        return True

    # -- floor tablet (supervisor, inspector, washer) --------------------------------------
    def job_dispatch(self) -> bool:
        row = self._pick("dispatch", "awaiting_dispatch")
        if row is None:
            return False
        order = self._order(row)
        self.step("dispatch", order.id, lambda: self.b.dispatch(order))
        return True

    def job_qc(self) -> bool:
        row = self._pick("qc", "final_qc")
        if row is None:
            return False
        order = self._order(row)
        self.step("final_qc", order.id, lambda: self.b.final_qc(order))
        return True

    def job_wash(self) -> bool:
        row = self._pick("wash", "washing")
        if row is None:
            return False
        order = self._order(row)
        self.step("wash", order.id, lambda: self.b.wash(order))
        return True

    # -- technician tablet -----------------------------------------------------------------
    def job_tech(self) -> bool:
        """The technician's own cars: start the work; when its (compressed) time is up and
        the parts are issued, finish it and do the self-check and the team leader's check."""
        from shop_desk.models import ClockEvent, JobLine

        rows = self.orders("tech", "in_progress")
        tech = self.spec.tech
        mine = [
            r
            for r in rows
            if tech == "*" or (r.technician_id and self.b.staff[tech].id == r.technician_id)
        ]
        mine = self._mine(mine)
        self.rng.shuffle(mine)
        for row in mine:
            lines = self.read(
                "open_order.lines",
                lambda row=row: list(JobLine.select().where(JobLine.order == row.id)),
            )
            labour = [ln for ln in lines if ln.kind == "labour" and ln.auth_state == "authorised"]
            partl = [ln for ln in lines if ln.kind == "part" and ln.auth_state == "authorised"]
            order = self._order(row)
            if any(ln.work_state == "pending" for ln in labour):
                self.step("start_work", row.id, lambda order=order: self.b.start_work(order))
                return True
            if any(ln.parts_issued < ln.quantity for ln in partl):
                continue
            started = (
                ClockEvent.select(ClockEvent.at)
                .join(JobLine)
                .where((JobLine.order == row.id) & (ClockEvent.kind == "start"))
                .order_by(ClockEvent.at.desc())
                .first()
            )
            hours = sum(float(ln.hours or 0) for ln in labour)
            need = hours * 3600 / self.speed / LABOUR_SQUEEZE
            if started is not None and (dt.datetime.now() - started.at).total_seconds() < need:
                continue

            def finish(order: Any = order) -> None:
                self.b.finish_work(order)
                self.b.checks(order)

            self.step("finish_and_checks", row.id, finish)
            return True
        return False


def board_main(db: str, name: str, end: float, out: str) -> None:
    """A board process: poll the change watcher twice a second as the board page does and,
    when it says so, read the board as ``WorkshopBoard.refresh`` does."""
    from shop_desk.changes_pg import make_watcher
    from shop_desk.services import board

    _open(db)
    rec = Recorder(name)
    watcher = make_watcher(db)
    tick = time.time()
    try:
        while time.time() < end:
            tick += BOARD_POLL_S
            time.sleep(max(0.0, tick - time.time()))
            t0 = time.perf_counter()
            changed = watcher.changed()
            rec.record("board.poll", time.perf_counter() - t0, "ok")
            if not changed:
                continue
            start = time.time()
            t = time.perf_counter()
            try:
                watcher.reset()
                now = dt.datetime.now().replace(microsecond=0)
                cards = board.board_cards(now)
                board.field_cards(now)
                board.team_load(now.date())
            except Exception as exc:
                rec.record("board.read", time.perf_counter() - t, classify(exc), str(exc))
                continue
            rec.record("board.read", time.perf_counter() - t, "ok")
            rec.reads.append((start, time.time(), {c.order_id: c.state for c in cards}))
    finally:
        watcher.close()
        rec.dump(Path(out))


# ------------------------------------------------------------------------------------------
# the run


def prepare(db: str, work: Path) -> None:
    """A fresh sample shop: the demo shop of today (five days of history) in the SQLite file
    ``db``, or built in a file and moved to the (empty) server ``db`` with migrate-db."""
    from shop_desk.db import close_database
    from shop_desk.demo import build_demo
    from shop_desk.i18n import ensure_core_app

    ensure_core_app()
    if db.startswith(("postgresql://", "postgres://")):
        source = work / "shop.db"
        build_demo(source, dt.date.today(), history_days=5, replace=True)
        close_database()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "shop_desk",
                "migrate-db",
                "--from",
                f"sqlite:///{source}",
                "--to",
                db,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    else:
        build_demo(Path(db), dt.date.today(), history_days=5, replace=True)
        close_database()


class Sampler(threading.Thread):
    """The machine's CPU use and load, and (PostgreSQL) what the server's sessions wait on,
    once a second during the run: to tell a CPU limit from lock waits at the knee."""

    def __init__(self, db: str) -> None:
        super().__init__(daemon=True)
        self.db, self.stop = db, threading.Event()
        self.loads: list[float] = []
        self.waits: Counter = Counter()
        self.samples = 0
        self.cpu_busy = self.cpu_total = 0

    @staticmethod
    def _cpu() -> tuple[int, int]:
        parts = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = parts[3] + parts[4]
        return sum(parts) - idle, sum(parts)

    def run(self) -> None:
        conn = None
        if self.db.startswith(("postgresql://", "postgres://")):
            import psycopg2

            conn = psycopg2.connect(self.db)
            conn.autocommit = True
        b0, t0 = self._cpu()
        while not self.stop.wait(1.0):
            self.loads.append(os.getloadavg()[0])
            self.samples += 1
            if conn is not None:
                with conn.cursor() as cur:
                    cur.execute(
                        "SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-') "
                        "FROM pg_stat_activity WHERE datname = current_database() "
                        "AND state = 'active' AND pid <> pg_backend_pid()"
                    )
                    for kind, event in cur.fetchall():
                        self.waits[f"{kind}:{event}"] += 1
        b1, t1 = self._cpu()
        self.cpu_busy, self.cpu_total = b1 - b0, t1 - t0
        if conn is not None:
            conn.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def board_delays(desks: list[dict], boards: list[dict]) -> dict[str, Any]:
    """Per board and desk commit: the first board read that started after the commit and
    shows the order in the committed state (absent when the state is off the board). A commit
    overtaken by the next change of the same order before any such read is not counted."""
    from shop_desk.states import WORKSHOP_STATES

    on_board = {s.value for s in WORKSHOP_STATES}
    events = sorted(e for d in desks for e in d["events"] if e[0])
    by_order: dict[int, list[tuple[float, str | None]]] = defaultdict(list)
    for t, oid, state in events:
        by_order[oid].append((t, state))
    delays: list[float] = []
    unseen = superseded = 0
    for b in boards:
        reads = [(s, e, dict((int(k), v) for k, v in cards)) for s, e, cards in b["reads"]]
        starts = [r[0] for r in reads]
        for oid, evs in by_order.items():
            for i, (t, state) in enumerate(evs):
                nxt = evs[i + 1][0] if i + 1 < len(evs) else float("inf")
                want = state if state in on_board else None
                j = bisect.bisect_left(starts, t)
                found = None
                while j < len(reads) and reads[j][0] < nxt:
                    if reads[j][2].get(oid) == want:
                        found = reads[j][1]
                        break
                    j += 1
                if found is not None:
                    delays.append(found - t)
                elif nxt == float("inf"):
                    unseen += 1
                else:
                    superseded += 1
    return {
        "count": len(delays),
        "median_s": percentile(delays, 0.5),
        "p95_s": percentile(delays, 0.95),
        "max_s": max(delays, default=0.0),
        "unseen": unseen,
        "superseded": superseded,
    }


def run_load(
    db: str,
    seconds: float,
    scale: int,
    speed: float,
    boards: int = BOARDS,
    small: bool = False,
    seed: int = 24,
    fresh: bool = True,
) -> dict[str, Any]:
    """Start the desks and boards, wait for them, and sum up what they measured."""
    work = Path(tempfile.mkdtemp(prefix="shop-load-"))
    try:
        if fresh:
            prepare(db, work)
        from shop_desk.db import close_database, open_database
        from shop_desk.models import RepairOrder

        open_database(db)
        first_id = (
            RepairOrder.select(RepairOrder.id).order_by(RepairOrder.id.desc()).first()
            or RepairOrder(id=0)
        ).id
        close_database()
        specs = layout(scale, speed, small)
        ctx = mp.get_context("spawn")
        start = time.time() + 3.0  # every process is up before the clock starts
        end = start + seconds
        procs = []
        for i in range(boards):
            procs.append(
                ctx.Process(
                    target=board_main, args=(db, f"board-{i + 1}", end, str(work / f"b{i}.json"))
                )
            )
        for i, spec in enumerate(specs):
            procs.append(
                ctx.Process(
                    target=_delayed_desk,
                    args=(db, spec, speed, start, end, seed * 1000 + i, str(work / f"d{i}.json")),
                )
            )
        sampler = Sampler(db)
        for p in procs:
            p.start()
        time.sleep(max(0.0, start - time.time()))
        sampler.start()
        for p in procs:
            p.join(timeout=seconds + 180)
            if p.is_alive():
                p.terminate()
        sampler.stop.set()
        sampler.join()
        desks = [
            json.loads((work / f"d{i}.json").read_text())
            for i in range(len(specs))
            if (work / f"d{i}.json").exists()
        ]
        board_data = [
            json.loads((work / f"b{i}.json").read_text())
            for i in range(boards)
            if (work / f"b{i}.json").exists()
        ]
        open_database(db)
        new = RepairOrder.select().where(RepairOrder.id > first_id)
        states = Counter(o.state for o in new)
        close_database()
        return summarise(
            db,
            seconds,
            scale,
            speed,
            specs,
            desks,
            board_data,
            states,
            sampler,
            missing=len(specs) + boards - len(desks) - len(board_data),
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _delayed_desk(
    db: str, spec: DeskSpec, speed: float, start: float, end: float, seed: int, out: str
) -> None:
    _open(db)
    desk = Desk(spec, speed, end, seed)
    instrument(desk.rec)
    desk.next_arrival = start + desk.rng.uniform(0, spec.arrival_s or 1)
    time.sleep(max(0.0, start - time.time()))
    try:
        desk.run()
    finally:
        desk.rec.dump(Path(out))


def summarise(
    db: str,
    seconds: float,
    scale: int,
    speed: float,
    specs: list[DeskSpec],
    desks: list[dict],
    boards: list[dict],
    states: Counter,
    sampler: Sampler,
    missing: int,
) -> dict[str, Any]:
    """One row per operation kind over all desks; the boards' delay; orders per hour."""
    times: dict[str, list[float]] = defaultdict(list)
    outcomes: dict[str, Counter] = defaultdict(Counter)
    samples: dict[str, list[str]] = defaultdict(list)
    steps: Counter = Counter()
    retries: Counter = Counter()
    slow: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    busy = 0
    for d in desks:
        for k, v in d["times"].items():
            times[k] += v
        for k, v in d["outcomes"].items():
            outcomes[k].update(v)
        for k, v in d["samples"].items():
            samples[k] = (samples[k] + v)[:5]
        steps.update(d["steps"])
        busy += d["busy_retries"]
        retries.update(d.get("retries", {}))
        for kind, ms, outcome, tries in d.get("slow", []):
            slow[kind].append((round(ms), outcome, tries))
    rows = []
    for kind in sorted(times):
        v = times[kind]
        p95 = percentile(v, 0.95) * 1000
        rows.append(
            {
                "operation": kind,
                "count": len(v),
                "median_ms": percentile(v, 0.5) * 1000,
                "p95_ms": p95,
                "max_ms": max(v) * 1000,
                "errors": outcomes[kind]["error"],
                "refused": outcomes[kind]["refused"],
                "conflicts": outcomes[kind]["conflict"],
                "retries": retries[kind],
                "slow": sorted(slow.get(kind, []), reverse=True)[:8],
                "met": p95 <= TARGET_OP_P95_MS,
                "samples": samples.get(kind, []),
            }
        )
    board_ops = defaultdict(list)
    for b in boards:
        for k, v in b["times"].items():
            board_ops[k] += v
    delay = board_delays(desks, boards)
    delay["met"] = delay["count"] > 0 and delay["p95_s"] <= TARGET_BOARD_S
    completed = states.get("left", 0) + states.get("closed", 0)
    hours = seconds / 3600
    errors = sum(r["errors"] + r["refused"] for r in rows) + missing
    return {
        "database": "postgresql" if db.startswith(("postgresql://", "postgres://")) else "sqlite",
        "seconds": seconds,
        "scale": scale,
        "speed": speed,
        "desks": len(specs),
        "boards": len(boards),
        "operations": rows,
        "board_ops": {
            k: {
                "count": len(v),
                "median_ms": percentile(v, 0.5) * 1000,
                "p95_ms": percentile(v, 0.95) * 1000,
                "max_ms": max(v) * 1000,
            }
            for k, v in board_ops.items()
        },
        "board_delay": delay,
        "orders_received": sum(states.values()),
        "orders_completed": completed,
        "orders_by_state": dict(states),
        "received_per_hour": sum(states.values()) / hours,
        "completed_per_hour": completed / hours,
        "busy_day_per_hour": DAY_ORDERS / DAY_HOURS,
        "steps": dict(steps),
        "busy_retries": busy,
        "missing_processes": missing,
        "step_errors": samples.get("step", []),
        "cpus": os.cpu_count(),
        "load_avg_median": percentile(sampler.loads, 0.5),
        "load_avg_max": max(sampler.loads, default=0.0),
        "cpu_used": sampler.cpu_busy / sampler.cpu_total if sampler.cpu_total else 0.0,
        "pg_waits": dict(sampler.waits.most_common(8)),
        "pg_wait_samples": sampler.samples,
        "ops_met": all(r["met"] for r in rows),
        "errors_met": errors == 0,
        "boards_met": delay["met"],
    }


def broken_targets(result: dict[str, Any]) -> list[str]:
    """The targets this run missed, in words."""
    out = [
        f"p95 of {r['operation']} {r['p95_ms']:.0f} ms > {TARGET_OP_P95_MS:.0f} ms"
        for r in result["operations"]
        if not r["met"]
    ]
    if not result["errors_met"]:
        n = sum(r["errors"] + r["refused"] for r in result["operations"])
        out.append(f"{n} errors/refusals other than conflicts")
    if not result["boards_met"]:
        out.append(f"board delay p95 {result['board_delay']['p95_s']:.2f} s > 1 s")
    return out


def report(result: dict[str, Any]) -> str:
    """The run as Markdown."""
    r = result
    lines = [
        f"### {r['database']}: scale {r['scale']} ({r['desks']} desks, {r['boards']} "
        f"board{'s' if r['boards'] != 1 else ''}), "
        f"{r['seconds'] / 60:.1f} min at speed {r['speed']:g}",
        "",
        f"Machine: {r['cpus']} CPUs (shared), load average median {r['load_avg_median']:.1f} / "
        f"max {r['load_avg_max']:.1f}, CPU busy {100 * r['cpu_used']:.0f}% of all cores.",
        "",
        "| operation | count | median ms | p95 ms | max ms | errors | refused | conflicts "
        "| retries | p95 ≤ 100 ms |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
    ]
    for o in r["operations"]:
        lines.append(
            f"| {o['operation']} | {o['count']} | {o['median_ms']:.1f} | {o['p95_ms']:.1f} | "
            f"{o['max_ms']:.0f} | {o['errors']} | {o['refused']} | {o['conflicts']} | "
            f"{o.get('retries', 0)} | {'met' if o['met'] else '**not met**'} |"
        )
    d = r["board_delay"]
    lines += [
        "",
        "| board | count | median ms | p95 ms | max ms |",
        "|---|--:|--:|--:|--:|",
    ]
    for k, v in sorted(r["board_ops"].items()):
        lines.append(
            f"| {k} | {v['count']} | {v['median_ms']:.1f} | {v['p95_ms']:.1f} | {v['max_ms']:.0f} |"
        )
    lines += [
        "",
        f"Boards' delay in seeing a change (commit → board read showing it), {d['count']} "
        f"changes × boards: median {d['median_s'] * 1000:.0f} ms, p95 {d['p95_s'] * 1000:.0f} "
        f"ms, max {d['max_s'] * 1000:.0f} ms ({d['superseded']} overtaken by the next change "
        f"first, {d['unseen']} not seen before the end) — target p95 ≤ 1 s: "
        f"{'met' if d['met'] else '**not met**'}.",
        "",
        f"Orders: {r['orders_received']} received ({r['received_per_hour']:.0f}/h), "
        f"{r['orders_completed']} through every step to the gate ({r['completed_per_hour']:.0f}"
        f"/h; a busy day is {r['busy_day_per_hour']:.1f}/h). By state: {r['orders_by_state']}.",
        f"Busy retries (serialization failures / SQLite locks, retried inside the service): "
        f"{r['busy_retries']}.",
    ]
    if r["pg_waits"]:
        lines.append(
            f"Server sessions sampled once a second ({r['pg_wait_samples']} samples), "
            f"active by wait event: {r['pg_waits']}."
        )
    slow = [
        f"{o['operation']}: "
        + ", ".join(f"{ms} ms ({outcome}, {tries} retries)" for ms, outcome, tries in o["slow"])
        for o in r["operations"]
        if o.get("slow")
    ]
    if slow:
        lines += ["", f"Calls over {TARGET_OP_P95_MS:.0f} ms (slowest first):"]
        lines += [f"- {s}" for s in slow]
    samples = [f"{o['operation']}: {s}" for o in r["operations"] for s in o["samples"]]
    if samples or r["step_errors"]:
        lines += ["", "Sampled messages:"] + [f"- {s}" for s in samples[:20] + r["step_errors"]]
    broken = broken_targets(r)
    lines += ["", "Targets: " + ("all met." if not broken else "; ".join(broken) + ".")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="postgresql://… (empty database) or a file")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, help="overrides --minutes")
    parser.add_argument("--scale", type=int, default=1, help="desks times this")
    parser.add_argument(
        "--speed",
        type=float,
        default=20.0,
        help="a busy day's arrival rate times this (default 20)",
    )
    parser.add_argument("--boards", type=int, default=BOARDS)
    parser.add_argument(
        "--small",
        action="store_true",
        help="two desks (reception + one doing the rest), for the smoke test",
    )
    parser.add_argument(
        "--knee", action="store_true", help="scale 1, 2, 4, … until a target breaks"
    )
    parser.add_argument("--knee-minutes", type=float, default=3.0)
    parser.add_argument("--max-scale", type=int, default=8)
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    results = []
    if args.knee:
        scale, fresh = 1, True
        while scale <= args.max_scale:
            result = run_load(
                args.db,
                args.knee_minutes * 60,
                scale,
                args.speed,
                args.boards,
                seed=24 + scale,  # new customers and cars at each step, not the last step's again
                fresh=fresh,
            )
            fresh = False  # the shop goes on: the next scale starts from this one's cars
            results.append(result)
            print(report(result), "\n", flush=True)
            broken = broken_targets(result)
            if broken:
                print(f"Knee: at scale {scale} ({result['desks']} desks): {'; '.join(broken)}")
                break
            scale *= 2
    else:
        result = run_load(args.db, seconds, args.scale, args.speed, args.boards, args.small)
        results.append(result)
        print(report(result), flush=True)
    if args.json:
        args.json.write_text(
            json.dumps(results if args.knee else results[0], indent=1, ensure_ascii=False)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

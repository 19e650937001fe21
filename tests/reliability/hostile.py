"""Hypothesis strategies for the service fuzz: hostile values, and plausible values derived
from each parameter's name and annotation (so a call can also get past the first check).

Ids are drawn from the rows of the open database (real ids) and from random integers.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import peewee
from hypothesis import strategies as st

from shop_desk.demo import signature_png
from shop_desk.models import (
    AdditionalWorkRequest,
    Appointment,
    Approval,
    CallLog,
    ClockEvent,
    Complaint,
    Customer,
    FollowUp,
    GatePass,
    JobLine,
    LabourOperation,
    Part,
    PartsIssueSlip,
    Recommendation,
    RepairOrder,
    Staff,
    Team,
    Vehicle,
)
from shop_desk.roles import Role
from shop_desk.services import admin, reception

START = dt.datetime(2026, 11, 2, 9, 0, 0)

#: Models a parameter may refer to, by the class name used in annotations.
MODELS = {
    m.__name__: m
    for m in (
        AdditionalWorkRequest,
        Appointment,
        Approval,
        CallLog,
        ClockEvent,
        Complaint,
        Customer,
        FollowUp,
        JobLine,
        LabourOperation,
        Part,
        PartsIssueSlip,
        Recommendation,
        RepairOrder,
        Staff,
        Team,
        Vehicle,
    )
}
#: Parameters that are ids although their annotation does not say which table.
ID_NAMES = {
    "staff_id": "Staff",
    "leader_id": "Staff",
    "technician": "Staff",
    "advisor": "Staff",
    "staff_concerned": "Staff",
    "team_id": "Team",
    "approval": "Approval",
}

HOSTILE_TEXT = (
    "",
    " ",
    "\t\n ",
    "\x00",
    "a\x00b",
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "-inf",
    "1e309",
    "-1e309",
    "1e-400",
    "9" * 400,
    "-1",
    "-0",
    "0",
    "0.0",
    "+1",
    "1_000",
    "１２３",
    "٣",
    "Ⅻ",
    "1,5",
    "1e3",
    "0x10",
    "3.14159265358979323846264338327950288",
    "'; DROP TABLE repair_order; --",
    '" OR 1=1 --',
    "Robert'); DROP TABLE staff;--",
    "%s %d %(x)s",
    "{0}{name}{number}",
    "}{",
    "{",
    "\u202e\u200b\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ 🚗",
    "王先生",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "2026-13-45",
    "2026-02-30T25:61:00",
    "25:99",
    "24:00-25:00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "\ud800",
    "x" * 100_000,
    "漢" * 5_000,
    "line1\r\nline2",
    "a,b\nc,d",
    '"unterminated',
)
HOSTILE_NUMBERS = (
    -1,
    0,
    1,
    -(2**31),
    2**31,
    2**53 + 1,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    10**30,
    -(10**30),
    float("nan"),
    float("inf"),
    float("-inf"),
    -0.0,
    1e-300,
    1e308,
    0.1 + 0.2,
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("Infinity"),
    Decimal("-Infinity"),
    Decimal("-0"),
    Decimal("1e999999"),
    Decimal("1e-999999"),
    Decimal("0.005"),
    Decimal("-0.01"),
)


class _Weird:
    """An object the UI would never send, whose str() is plausible text."""

    def __str__(self) -> str:
        return "1"


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(HOSTILE_NUMBERS),
)

HOSTILE: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(HOSTILE_NUMBERS),
    st.text(max_size=30),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.decimals(),
    st.binary(max_size=40),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.sampled_from((dt.datetime.max, dt.datetime.min, dt.date.max, dt.date.min)),
    st.times(),
    st.lists(_scalars, max_size=4),
    st.tuples(_scalars, _scalars),
    st.dictionaries(st.text(max_size=6), _scalars, max_size=3),
    st.dictionaries(st.integers(-3, 10**6), _scalars, max_size=3),
    st.sets(st.integers(), max_size=3),
    st.just(object()),
    st.just(_Weird()),
    st.just(bytearray(b"\x89PNG")),
)

CHOICE_WORDS = (
    "person",
    "company",
    "covered",
    "not_covered",
    "pending",
    "customer",
    "warranty",
    "internal",
    "goodwill",
    "cash",
    "card",
    "wechat",
    "alipay",
    "transfer",
    "on_account",
    "dispose",
    "take_home",
    "phone",
    "in_person",
    "message",
    "signature",
    "letter",
    "visit",
    "rude",
    "money",
    "late",
    "comeback",
    "quality",
    "price",
    "other",
    "investigation",
    "measures",
    "feedback",
    "follow_up",
    "refund",
    "void",
    "return",
    "discount",
    "write_off",
    "credit",
    "labour",
    "part",
    "parts",
    "authorisation",
    "break",
    "new_damage",
    "wash_start",
    "wash_end",
    "general",
    "mechanical",
    "electrical",
    "body",
    "pc",
    "authorised",
    "declined",
    "proposed",
    "scratch",
    "dent",
    "crack",
    "chip",
    "top",
    "front",
    "rear",
    "left",
    "right",
    "engine",
    "approved",
    "rejected",
    "written_off",
)
#: Valid values of the choice parameters, by service and parameter name (None: any service).
CHOICES: dict[tuple[str | None, str], tuple[str, ...]] = {
    ("create_customer", "kind"): ("person", "company"),
    ("update_customer", "kind"): ("person", "company"),
    ("request_approval", "kind"): ("refund", "void", "return", "discount", "write_off", "credit"),
    ("acknowledge_alert", "kind"): ("new_damage", "wash_start", "wash_end"),
    ("decide_warranty", "decision"): ("covered", "not_covered", "pending"),
    (None, "pay_type"): ("customer", "warranty", "internal", "goodwill"),
    (None, "payment_method"): ("cash", "card", "wechat", "alipay", "transfer", "on_account"),
    ("take_payment", "method"): ("cash", "card", "wechat", "alipay", "transfer", "on_account"),
    ("refund", "method"): ("cash", "card", "wechat", "alipay", "transfer", "on_account"),
    ("notify_customer", "method"): ("phone", "message", "in_person"),
    ("record_authorisation", "method"): ("in_person", "phone", "signature"),
    (None, "old_parts"): ("take_home", "dispose"),
    (None, "authorisation_via"): ("phone", "in_person"),
    (None, "channel"): ("phone", "letter", "visit"),
    (None, "cause"): ("rude", "money", "late", "comeback", "quality", "price", "other"),
    (None, "step"): ("investigation", "measures", "feedback", "follow_up"),
    ("clock_pause", "reason"): ("parts", "authorisation", "break", "other"),
    ("reject_claim", "outcome"): ("customer_pays", "write_off"),
    (None, "skill"): ("mechanical", "electrical", "body"),
    (None, "category"): ("general", "maintenance", "wear", "body"),
    (None, "unit"): ("pc", "L", "set"),
}

#: Order states in which an operation can go ahead: references to orders (and to rows of an
#: order) are drawn from these orders half of the time, so calls get past the state check.
SERVICE_STATES: dict[str, tuple[str, ...]] = {
    "check_in": ("booked",),
    "cancel_order": ("booked", "checked_in", "awaiting_dispatch"),
    "hand_over": ("checked_in",),
    "dispatch": ("awaiting_dispatch",),
    "redispatch": ("in_progress", "rework", "waiting_parts"),
    "accept_car": ("in_progress",),
    "clock_start": ("in_progress", "rework"),
    "clock_pause": ("in_progress", "rework"),
    "clock_resume": ("in_progress", "rework"),
    "clock_finish": ("in_progress", "rework"),
    "report_delay": ("in_progress", "rework", "waiting_parts", "waiting_authorisation"),
    "propose_additional_work": ("in_progress", "rework"),
    "record_authorisation": ("waiting_authorisation",),
    "self_check": ("in_progress", "rework"),
    "leader_check": ("in_progress", "rework"),
    "final_qc": ("final_qc",),
    "start_wash": ("washing",),
    "finish_wash": ("washing",),
    "set_parking_spot": ("ready", "washing"),
    "send_back_to_workshop": ("ready", "washing"),
    "request_parts": ("in_progress", "rework"),
    "issue_parts": ("in_progress", "rework", "waiting_parts"),
    "parts_arrived": ("waiting_parts",),
    "sign_issue_slip": ("in_progress", "rework", "waiting_parts"),
    "delivery_check": ("ready",),
    "notify_customer": ("ready",),
    "add_recommendation": ("ready", "final_qc", "in_progress"),
    "accept_recommendation": ("ready",),
    "decline_recommendation": ("ready",),
    "deliver": ("ready",),
    "set_discount": ("delivered", "ready"),
    "take_payment": ("delivered",),
    "settle": ("delivered",),
    "void_settlement": ("settled",),
    "refund": ("settled", "left"),
    "issue_gate_pass": ("settled",),
    "record_follow_up": ("left",),
    "complaint_from_follow_up": ("left", "closed"),
    "complaint_for_comeback": ("left", "closed"),
    "approve_claim": ("in_progress", "delivered", "settled", "left", "closed"),
    "reject_claim": ("in_progress", "delivered", "settled", "left", "closed"),
    "edit_clock_event": ("in_progress", "rework", "final_qc"),
    "request_approval": ("settled", "delivered"),
}
for _name in (
    "record_inspection",
    "record_complaint",
    "decide_warranty",
    "add_labour_line",
    "add_part_line",
    "update_line",
    "remove_line",
    "set_promised_time",
    "set_task_order_options",
    "sign_task_order",
    "reopen_task_order",
):
    SERVICE_STATES[_name] = ("checked_in",)

PHONES = ("13800138000", "13912345678", "021-62345678", "+86 139 1234 5678", "12345")
VINS = (
    "LSVAU2A37N2123458",
    "LFV2A21K0M4012340",
    "LHGCR2650K8001234",
    "1M8GDM9AXKP042788",
    "LSVAU2A3XN2123458",
    "ABC",
)
PLATES = ("沪A12345", "沪AD12345", "京B·8888A", "粤B12345学", "A12345")
WORDS = st.one_of(
    st.sampled_from(("王先生", "常规保养 routine service", "刹车异响 brake noise", "ok", "Test")),
    st.text(max_size=40),
)
DATETIMES = st.builds(
    lambda k, minute: START + dt.timedelta(minutes=30 * k + minute),
    st.integers(-400, 400),
    st.sampled_from((0, 0, 0, 7)),
)
DATES = st.builds(lambda k: START.date() + dt.timedelta(days=k), st.integers(-4000, 400))
DECIMALS = st.one_of(
    st.decimals(min_value=0, max_value=5000, places=2),
    st.integers(0, 500),
    st.decimals(min_value=0, max_value=5000, places=2).map(str),
)
PNG = signature_png(3)


def _delivery_keys() -> list[str]:
    from shop_desk.services import checkout

    order = RepairOrder(old_parts="take_home")
    return [k for k, _ in checkout.delivery_check_items(order)] + [
        k for k, _ in checkout.delivery_walk_items(order)
    ]


def is_path_parameter(name: str, annotation: str) -> bool:
    """Parameters naming a file: the fuzz keeps them inside its sandbox folder."""
    return "Path" in annotation or any(w in name for w in ("path", "file", "folder", "directory"))


def _sandboxed(sandbox: Path, text: str) -> Path:
    """``text`` as a file name inside ``sandbox``: no separators, no '..', nothing absolute."""
    name = text.replace("/", "_").replace("\\", "_").replace("..", "_")[:120]
    return sandbox / (name or "_")


HOSTILE_NOT_TEXT: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(max_size=20),
    st.lists(_scalars, max_size=3),
    st.just(object()),
)


class Pools:
    """Real ids and instances of the open database (read once; each example is rolled back).

    ``sandbox``: the only folder file parameters may point into (the fuzz must never write
    where a random string points, e.g. an absolute path)."""

    def __init__(self, sandbox: Path) -> None:
        self.sandbox = sandbox
        self.ids: dict[str, list[int]] = {}
        self.rows: dict[str, list[Any]] = {}
        self.orders: dict[tuple[str, int], RepairOrder | None] = {}
        for name, model in MODELS.items():
            rows = list(model.select().order_by(model.id))
            self.rows[name] = rows
            self.ids[name] = [r.id for r in rows]
        # the order each row belongs to, from the foreign-key ids (no query per row)
        by_id = {r.id: r for r in self.rows["RepairOrder"]}
        parent = {
            "order": by_id,
            "line": {r.id: by_id.get(r.order_id) for r in self.rows["JobLine"]},
            "request": {r.id: by_id.get(r.order_id) for r in self.rows["AdditionalWorkRequest"]},
            "follow_up": {r.id: by_id.get(r.order_id) for r in self.rows["FollowUp"]},
        }
        for name, rows in self.rows.items():
            for r in rows:
                order = r if name == "RepairOrder" else None
                for attr, owners in parent.items():
                    if order is None and attr in r._meta.fields:
                        order = owners.get(r.__data__.get(attr))
                self.orders[name, r.id] = order
        self._cache: dict[tuple, st.SearchStrategy[Any]] = {}
        self.codes = [g.number for g in GatePass.select()] + [g.code for g in GatePass.select()]
        self.versions = [o.version for o in RepairOrder.select()]
        self.delivery_keys = _delivery_keys()

    def ref(self, model: str, states: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
        """A real id (as int, str or instance), or a random integer; with ``states``, half of
        the time a row of an order in one of those states."""
        ids = self.ids.get(model) or [1]
        rows = self.rows.get(model) or []
        options = [
            st.sampled_from(ids),
            st.sampled_from(ids).map(str),
            st.integers(-5, max(ids) + 5),
        ]
        if rows:
            options.append(st.sampled_from(rows))
        fitting = [r for r in rows if getattr(self.orders[model, r.id], "state", None) in states]
        if fitting:
            good = st.one_of(st.sampled_from(fitting), st.sampled_from([r.id for r in fitting]))
            return st.one_of(good, good, good, *options)
        return st.one_of(options)

    def plausible(self, service: str, name: str, annotation: str) -> st.SearchStrategy[Any]:
        key = (service, name, annotation)
        if key not in self._cache:
            self._cache[key] = plausible(service, name, annotation, self)
        return self._cache[key]

    def related_staff(self, value: Any) -> list[Staff]:
        """The people who work on the order a row belongs to (so role-specific checks pass)."""
        order = (
            self.orders.get((type(value).__name__, value.id))
            if isinstance(value, peewee.Model)
            else None
        )
        if order is None:
            return []
        people = [order.advisor, order.technician, order.accepted_by]
        if order.team_id:
            people += [m.staff for m in order.team.members]
        return [p for p in people if p is not None]

    def any_ref(self) -> st.SearchStrategy[Any]:
        return st.sampled_from(sorted(self.ids)).flatmap(self.ref)


def _model_of(name: str, annotation: str) -> str | None:
    for model in re.findall(r"[A-Z][A-Za-z]+", annotation or ""):
        if model in MODELS:
            return model
    return ID_NAMES.get(name)


def plausible(service: str, name: str, annotation: str, pools: Pools) -> st.SearchStrategy[Any]:
    """A value the UI could well send for this parameter."""
    ann = annotation or ""
    if is_path_parameter(name, ann):
        names = st.one_of(
            st.sampled_from(
                ("customers.csv", "customers.xlsx", "no such folder/x.csv", "", "x" * 300)
            ),
            st.sampled_from(HOSTILE_TEXT).filter(lambda t: len(t) < 1000),
            st.text(max_size=20),
        )
        as_path = names.map(lambda t: _sandboxed(pools.sandbox, t))
        return st.one_of(as_path, as_path.map(str))
    special: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
        "pin": lambda: st.sampled_from(("1234", "0000", "98765", "12")),
        "login": lambda: st.from_regex(r"[a-z]{1,8}[0-9]{0,2}", fullmatch=True),
        "phone": lambda: st.sampled_from(PHONES),
        "phone2": lambda: st.sampled_from(PHONES + ("",)),
        "authorisation_phone": lambda: st.sampled_from(PHONES),
        "vin": lambda: st.sampled_from(VINS),
        "plate": lambda: st.sampled_from(PLATES),
        "expected_version": lambda: st.one_of(
            st.none(), st.none(), st.none(), st.sampled_from(pools.versions), st.integers(0, 9)
        ),
        "number_or_code": lambda: st.one_of(st.sampled_from(pools.codes or ["MP"]), WORDS),
        "members": lambda: st.lists(pools.ref("Staff"), max_size=4),
        "roles": lambda: st.lists(st.sampled_from([r.value for r in Role] + ["god"]), max_size=3),
        "skills": lambda: st.lists(
            st.sampled_from(("mechanical", "electrical", "body")), max_size=3
        ),
        "warning_lights": lambda: st.lists(
            st.sampled_from(reception.WARNING_LIGHTS + ("x",)), max_size=3
        ),
        "marks": lambda: st.one_of(st.none(), st.lists(_mark(), max_size=3)),
        "new_damage": lambda: st.one_of(st.none(), st.lists(_mark(), max_size=2)),
        "photos": lambda: st.one_of(
            st.none(),
            st.lists(
                st.tuples(
                    st.sampled_from(("front", "a.png", "")), st.sampled_from((PNG, b"", b"x" * 10))
                ),
                max_size=2,
            ),
        ),
        "lines": lambda: st.lists(_work_line(pools), min_size=0, max_size=3),
        "decisions": lambda: st.dictionaries(
            pools.ref("JobLine"), st.sampled_from(("authorised", "declined", "maybe")), max_size=4
        ),
        "checklist": lambda: st.dictionaries(
            st.sampled_from(("work_done", "no_leaks", "tools_removed", "x")),
            st.booleans(),
            max_size=4,
        ),
        "checks": lambda: st.one_of(
            st.none(),
            st.dictionaries(st.sampled_from(pools.delivery_keys), st.booleans(), max_size=8),
        ),
        "payload": lambda: st.one_of(
            st.none(), st.dictionaries(st.text(max_size=5), _scalars, max_size=3)
        ),
        "signature_png": lambda: st.one_of(st.none(), st.just(PNG), st.binary(max_size=64)),
        "text": lambda: _csv_text(service),
        "slot_start": lambda: DATETIMES,
        "when": lambda: DATETIMES,
        "new_at": lambda: DATETIMES,
        "new_promised_at": lambda: DATETIMES,
        "pickup_at": lambda: DATETIMES,
        "next_service_date": lambda: st.one_of(st.none(), DATES),
        "since": lambda: st.one_of(st.none(), DATES, DATES.map(dt.date.isoformat)),
        "sale_date": lambda: st.one_of(st.none(), DATES, DATES.map(dt.date.isoformat)),
        "warranty_start": lambda: st.one_of(st.none(), DATES),
        "km": lambda: st.integers(0, 300_000),
        "odometer_km": lambda: st.one_of(
            st.none(), st.integers(0, 300_000), st.integers(0, 300_000).map(str)
        ),
        "next_service_km": lambda: st.one_of(st.none(), st.integers(0, 300_000)),
        "fuel_level": lambda: st.sampled_from((0, 12, 25, 50, 75, 100, 101, "50")),
        "year": lambda: st.one_of(st.none(), st.integers(1990, 2027)),
        "priority": lambda: st.one_of(st.none(), st.integers(0, 4)),
        "satisfaction": lambda: st.one_of(st.none(), st.integers(0, 6)),
        "ref_id": lambda: pools.any_ref(),
        "parking_spot": lambda: st.sampled_from(("P01", "A-3", "", "竣工区7")),
        "preferred_contact_time": lambda: st.sampled_from(
            ("09:00-11:00", "evenings", "18:00-09:00", "")
        ),
        "follow_up_time": lambda: st.sampled_from(("09:00-11:00", "evenings", "")),
    }
    if service == "issue_parts" and name == "items":
        return st.dictionaries(pools.ref("JobLine"), DECIMALS, max_size=3)
    if service == "delivery_check" and name == "items":
        return st.dictionaries(st.sampled_from(pools.delivery_keys), st.booleans(), max_size=6)
    choices = CHOICES.get((service, name)) or CHOICES.get((None, name))
    if choices:
        return st.one_of(
            st.sampled_from(choices), st.sampled_from(choices), st.sampled_from(CHOICE_WORDS)
        )
    if name in special:
        return special[name]()
    model = _model_of(name, ann)
    if model is not None:
        ref = pools.ref(model, SERVICE_STATES.get(service, ()))
        return st.one_of(st.none(), ref) if "None" in ann else ref
    if ann.replace(" ", "") in ("bool", "bool|None"):
        return st.one_of(st.booleans(), st.none()) if "None" in ann else st.booleans()
    if name in (
        "hours",
        "rate",
        "quantity",
        "unit_price",
        "amount",
        "tendered",
        "credit_limit",
        "standard_hours",
        "capacity_hours",
        "stock_qty",
    ):
        return (
            st.one_of(st.none(), DECIMALS)
            if name in ("rate", "tendered", "stock_qty", "hours", "unit_price")
            else DECIMALS
        )
    if "datetime" in ann:
        return DATETIMES
    if ann.startswith("int"):
        return st.one_of(st.integers(-2, 50), st.none())
    return st.one_of(st.sampled_from(CHOICE_WORDS), WORDS)


def _mark() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "view": st.sampled_from(("top", "left", "right", "front", "rear", "under")),
            "x": st.floats(-0.5, 1.5),
            "y": st.floats(0, 1),
            "kind": st.sampled_from(("scratch", "dent", "chip", "crack", "other", "boom")),
        },
        optional={"note": WORDS},
    )


def _work_line(pools: Pools) -> st.SearchStrategy[dict]:
    labour = st.fixed_dictionaries(
        {"kind": st.just("labour"), "labour_op": pools.ref("LabourOperation")},
        optional={
            "hours": DECIMALS,
            "description": WORDS,
            "pay_type": st.sampled_from(CHOICE_WORDS),
        },
    )
    part = st.fixed_dictionaries(
        {"kind": st.just("part"), "part": pools.ref("Part")},
        optional={"quantity": DECIMALS, "unit_price": DECIMALS},
    )
    free = st.fixed_dictionaries(
        {"kind": st.sampled_from(("labour", "part", "other"))},
        optional={"description": WORDS, "hours": DECIMALS, "rate": DECIMALS},
    )
    return st.one_of(labour, part, free)


def _csv_text(service: str) -> st.SearchStrategy[str]:
    header = (
        "part_no,name,unit_price,stock_qty"
        if service == "import_parts_csv"
        else "code,name,standard_hours,skill"
    )
    cell = st.one_of(
        st.sampled_from(("X1", "名称", "12.50", "-3", "", "NaN", '"q,"', "1e9")),
        st.text(max_size=6),
    )
    row = st.lists(cell, min_size=0, max_size=6).map(",".join)
    return st.one_of(
        st.lists(row, max_size=4).map(lambda rows: "\n".join([header, *rows])),
        st.lists(row, max_size=4).map(lambda rows: "\ufeff" + "\r\n".join([header, *rows])),
        st.text(max_size=60),
    )


def actor_for(
    args: list[Any], kwargs: dict[str, Any], pools: Pools, fuzzer: Staff, data: st.DataObject
) -> Any:
    """Mostly the fuzzer (every role); else someone working on the order the call is about,
    or anybody on the staff, or (rarely) a value that is no staff member at all."""
    related: list[Staff] = []
    for value in [*args, *kwargs.values()]:
        related += pools.related_staff(value)
    kind = data.draw(st.sampled_from(ACTOR_KINDS), label="actor kind")
    if kind == "not staff":
        return data.draw(hostile_actor(), label="actor")
    if kind == "on the order" and related:
        return data.draw(st.sampled_from(related), label="actor")
    if kind == "anyone":
        return data.draw(st.sampled_from(pools.rows["Staff"]), label="actor")
    return fuzzer


#: How often each kind of actor calls (sampled_from draws about uniformly).
ACTOR_KINDS = ("fuzzer",) * 11 + ("on the order",) * 5 + ("anyone",) * 3 + ("not staff",)


def arguments(
    info_name: str, func: Callable[..., Any], pools: Pools, data: st.DataObject, hostility: float
) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments (after the actor) for one call of ``func``."""
    sig = inspect.signature(func)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    skipped = False
    for p in list(sig.parameters.values())[1:]:
        if p.kind is p.VAR_KEYWORD:
            keys = st.sampled_from(sorted(admin.SETTING_FIELDS) + ["nonsense", "__class__", ""])
            kwargs.update(
                data.draw(
                    st.dictionaries(
                        keys, st.one_of(HOSTILE, pools.plausible(info_name, "", "")), max_size=4
                    ),
                    label="**" + p.name,
                )
            )
            continue
        optional = p.default is not p.empty
        if optional and data.draw(st.booleans(), label=f"omit {p.name}"):
            skipped = True
            continue
        hostile = (
            data.draw(st.sampled_from(range(100)), label=f"hostile? {p.name}") < 100 * hostility
        )
        if is_path_parameter(p.name, str(p.annotation)):
            hostile_values = HOSTILE_NOT_TEXT  # hostile text for files: see plausible()
        else:
            hostile_values = HOSTILE
        strategy = (
            hostile_values if hostile else pools.plausible(info_name, p.name, str(p.annotation))
        )
        value = data.draw(strategy, label=p.name)
        if p.kind is p.KEYWORD_ONLY or skipped:
            kwargs[p.name] = value
        else:
            args.append(value)
    return args, kwargs


def hostile_actor() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(), st.integers(), st.text(max_size=5), st.just({"id": 1}), st.just(Staff())
    )


def _mutated_container(value: Any) -> st.SearchStrategy[Any]:
    """``value`` (a dict or list of a golden call) with one part made hostile."""
    if isinstance(value, dict) and value:
        keys = list(value)
        return st.one_of(
            st.tuples(st.sampled_from(keys), HOSTILE).map(lambda kv: {**value, kv[0]: kv[1]}),
            st.tuples(HOSTILE, HOSTILE).map(lambda kv: _with_key(value, kv[0], kv[1])),
            st.sampled_from(keys).flatmap(
                lambda k: _mutated_container(value[k]).map(lambda inner: {**value, k: inner})
            )
            if any(isinstance(v, dict | list) and v for v in value.values())
            else st.nothing(),
        )
    if isinstance(value, list) and value:
        return st.one_of(
            st.tuples(st.integers(0, len(value) - 1), HOSTILE).map(
                lambda iv: [*value[: iv[0]], iv[1], *value[iv[0] + 1 :]]
            ),
            HOSTILE.map(lambda extra: [*value, extra]),
            st.integers(0, len(value) - 1).flatmap(
                lambda i: _mutated_container(value[i]).map(
                    lambda inner: [*value[:i], inner, *value[i + 1 :]]
                )
            )
            if any(isinstance(v, dict | list | tuple) and v for v in value)
            else st.nothing(),
        )
    if isinstance(value, tuple) and value:
        return _mutated_container(list(value)).map(tuple)
    return HOSTILE


def _with_key(value: dict, key: Any, item: Any) -> Any:
    try:
        return {**value, key: item}
    except TypeError:  # an unhashable key: send it as a list of pairs instead
        return [*value.items(), (key, item)]


def mutations(
    func: Callable[..., Any],
    actor: Any,
    args: list[Any],
    kwargs: dict[str, Any],
    pools: Pools,
    data: st.DataObject,
) -> dict[str, Any]:
    """The golden call's arguments (by name) with one to three of them made hostile: replaced
    outright, or (lists and dicts) attacked inside; optional parameters the golden call left
    out may be added."""
    sig = inspect.signature(func)
    bound = sig.bind(actor, *args, **kwargs).arguments
    bound.pop(next(iter(sig.parameters)))
    names = [n for n, p in list(sig.parameters.items())[1:] if p.kind is not p.VAR_KEYWORD]
    var_kw = next((n for n, p in sig.parameters.items() if p.kind is p.VAR_KEYWORD), None)
    if var_kw:
        bound = {**{k: v for k, v in bound.items() if k != var_kw}, **bound.get(var_kw, {})}
        names = list(dict.fromkeys([*names, *bound, "nonsense"]))
    chosen = data.draw(
        st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True), label="mutate"
    )
    for name in chosen:
        annotation = str(sig.parameters[name].annotation) if name in sig.parameters else ""
        current = bound.get(name)
        if is_path_parameter(name, annotation):
            strategy = st.one_of(HOSTILE_NOT_TEXT, pools.plausible("", name, annotation))
        elif isinstance(current, dict | list | tuple) and current:
            strategy = st.one_of(_mutated_container(current), HOSTILE)
        else:
            strategy = HOSTILE
        bound[name] = data.draw(strategy, label=name)
    return bound

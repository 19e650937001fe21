"""Hostile input at every service entry point: only DomainErrors come out, and a refused call
writes nothing.

For each operation in ``services.base.REGISTRY`` hypothesis builds the arguments from the
function's signature: hostile values (empty, huge, odd Unicode, NaN/Infinity text, SQL-looking
text, negative and huge numbers, wrong types) mixed with plausible ones (real ids of the busy
shop, valid-looking phones, VINs, dates...), so calls also get past the first check. The actor
holds every role. Each example runs in a transaction that is rolled back afterwards, so every
example starts from the same shop and failures replay exactly.
"""

from __future__ import annotations

import os
from pathlib import Path

import figures
import peewee
import pytest
from busy_shop import clear_writes, install_write_log, load_registry, table_counts, writes
from golden import golden_calls
from hostile import Pools, actor_for, arguments, mutations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shop_desk.errors import DomainError
from shop_desk.models import ALL_MODELS

REGISTRY = load_registry()
#: Examples per operation: the default run stays well under a minute; --slow runs many more.
EXAMPLES = int(os.environ.get("SHOP_DESK_FUZZ_EXAMPLES", "15"))
MUTATIONS = int(os.environ.get("SHOP_DESK_FUZZ_MUTATIONS", "20"))
SLOW_EXAMPLES = 300
#: The PostgreSQL variants (tests/pg_support.py) look for what differs on a server (driver,
#: types, text rules) with a third of the examples: the SQLite run covers the logic.
PG_SHARE = 3


def _examples(db, count: int) -> int:
    return max(3, count // PG_SHARE) if isinstance(db, peewee.PostgresqlDatabase) else count


CALLS = {"examples": 0, "refused": 0, "accepted": 0}


class _Undo(Exception):
    """Raised to roll the example's transaction back."""


_CACHE: dict[str, object] = {}


def _pools(sandbox: Path) -> Pools:
    """Rows of the busy shop: every test starts from a copy of the same file, so read once."""
    if "pools" not in _CACHE:
        _CACHE["pools"] = Pools(sandbox)
    pools = _CACHE["pools"]
    pools.sandbox = sandbox
    return pools


def _golden(sandbox: Path) -> dict:
    if "golden" not in _CACHE:
        _CACHE["golden"] = golden_calls(sandbox)
    calls = _CACHE["golden"]
    calls["export_customers"].args[0] = str(sandbox / "customers.csv")
    return calls


def _fuzz(db, people, name: str, examples: int, sandbox: Path) -> None:
    info = REGISTRY[name]
    install_write_log(db)
    pools = _pools(sandbox)
    fuzzer = people["fuzzer"]

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data(), hostility=st.sampled_from((0.0, 0.0, 0.15, 0.5, 1.0)))
    def run(data: st.DataObject, hostility: float) -> None:
        args, kwargs = arguments(name, info.func, pools, data, hostility)
        actor = actor_for(args, kwargs, pools, fuzzer, data)
        CALLS["examples"] += 1
        _check(db, name, lambda: info.func(actor, *args, **kwargs))

    run()


#: What a refused operation that checks a PIN may still write (the PIN rule: the person's
#: count of wrong PINs and lock-out, and the audit rows of the try).
PIN_WRITES = {("staff", "UPDATE"), ("audit_log", "INSERT")}
_AUDIT_COLUMN = [m._meta.table_name for m in ALL_MODELS].index("audit_log")


def _counts(db, pin_checked: bool) -> tuple[int, ...]:
    counts = table_counts(db)
    if pin_checked:  # audit rows of a PIN try are expected
        return counts[:_AUDIT_COLUMN] + counts[_AUDIT_COLUMN + 1 :]
    return counts


def _check(db, name: str, call) -> None:
    """Run ``call`` in a transaction that is rolled back: a refusal must write nothing (an
    operation checking a PIN: only what the PIN rule records)."""
    pin_checked = bool(getattr(REGISTRY[name].func, "pin", None))
    try:
        with db.atomic():
            clear_writes(db)
            counts = _counts(db, pin_checked)
            try:
                call()
            except DomainError as exc:
                CALLS["refused"] += 1
                message = str(exc)
                assert message.strip(), f"{name} refused without a message"
                message.encode("utf-8")  # printable, loggable: no broken Unicode
                assert _counts(db, pin_checked) == counts, (
                    f"{name} was refused ({exc}) but wrote rows"
                )
                written = [w for w in writes(db) if not (pin_checked and w in PIN_WRITES)]
                assert not written, f"{name} was refused ({exc}) but wrote {written}"
            else:
                CALLS["accepted"] += 1
            raise _Undo
    except _Undo:
        pass


def _mutate(db, name: str, examples: int, sandbox: Path) -> None:
    info = REGISTRY[name]
    install_write_log(db)
    pools = _pools(sandbox)
    golden = _golden(sandbox)[name]

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        arguments = mutations(info.func, golden.actor, golden.args, golden.kwargs, pools, data)
        CALLS["examples"] += 1
        _check(db, name, lambda: info.func(golden.actor, **arguments))

    run()


@pytest.fixture(scope="module", autouse=True)
def _report_figures():
    """The figures the reliability issue asks for, shown after the run."""
    yield
    if CALLS["examples"]:
        figures.report(
            f"hostile input: {CALLS['examples']} calls over {len(REGISTRY)} operations, "
            f"{CALLS['refused']} refused with a message and nothing written, "
            f"{CALLS['accepted']} accepted (rolled back)"
        )


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fuzz runs in a folder of its own: relative file names land there."""
    folder = tmp_path / "sandbox"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_service_survives_hostile_input(busy_db, people, sandbox, name):
    _fuzz(busy_db, people, name, _examples(busy_db, EXAMPLES), sandbox)


GOLDEN = sorted(set(REGISTRY) - {"complaint_for_comeback", "open_comeback_complaints"})


@pytest.mark.parametrize("name", GOLDEN)
def test_service_survives_a_valid_call_made_hostile(busy_db, sandbox, name):
    _mutate(busy_db, name, _examples(busy_db, MUTATIONS), sandbox)


def test_golden_calls_succeed(busy_db, sandbox):
    """The starting points of the mutation fuzz are valid calls (else it tests nothing deep)."""
    calls = golden_calls(sandbox)
    assert set(calls) == set(GOLDEN)
    for name, call in sorted(calls.items()):
        try:
            with busy_db.atomic():
                REGISTRY[name].func(call.actor, *call.args, **call.kwargs)
                raise _Undo
        except _Undo:
            pass


@pytest.mark.slow
@pytest.mark.parametrize("name", GOLDEN)
def test_service_survives_a_valid_call_made_hostile_long(busy_db, sandbox, name):
    _mutate(busy_db, name, SLOW_EXAMPLES, sandbox)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_service_survives_hostile_input_long(busy_db, people, sandbox, name):
    _fuzz(busy_db, people, name, SLOW_EXAMPLES, sandbox)


def test_fuzz_covers_the_whole_registry():
    """Every module of the service layer registered its operations (the fuzz sees them all)."""
    modules = {info.func.__module__.rsplit(".", 1)[-1] for info in REGISTRY.values()}
    assert {
        "customers",
        "appointments",
        "reception",
        "workshop",
        "parts",
        "checkout",
        "aftercare",
        "approvals",
        "admin",
    } <= modules
    assert len(REGISTRY) >= 80

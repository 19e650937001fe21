"""The one PIN rule (issue 17, items 1 and 10): wrong PINs counted per person in the
database, a lock-out that grows, every failure audited, an alert for the managers; sign-in
does not tell which logins exist."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from factories import make_order
from shop_desk import clock
from shop_desk.errors import PermissionDenied
from shop_desk.models import Approval, AuditLog, Staff
from shop_desk.services import approvals, auth, pins
from shop_desk.states import State


def _request(staff):
    return approvals.request_approval(
        staff["cashier"], "discount", make_order(State.DELIVERED), "50", "wrong price on the bill"
    )


def _fail(times: int, call) -> list[str]:
    messages = []
    for _ in range(times):
        with pytest.raises(PermissionDenied) as refused:
            call()
        messages.append(str(refused.value))
    return messages


def _manager(staff) -> Staff:
    return Staff.get_by_id(staff["manager"].id)


def test_guessing_the_managers_pin_through_approvals_is_locked_out(db, staff):
    req = _request(staff)
    manager = staff["manager"]
    guesses = iter(f"{n:04d}" for n in range(10000) if f"{n:04d}" != "1234")
    messages = _fail(5, lambda: approvals.approve(manager, req, next(guesses)))
    assert "Wrong PIN" in messages[0] and "locked" in messages[-1]
    # locked: even the right PIN is refused, and the request stays pending
    with pytest.raises(PermissionDenied, match="locked for 5 more minutes"):
        approvals.approve(manager, req, "1234")
    assert Approval.get_by_id(req.id).state == "pending"
    # every wrong PIN and the try while locked are in the audit log
    rows = AuditLog.select().where(
        (AuditLog.entity == "staff") & (AuditLog.entity_id == manager.id)
    )
    actions = [r.action for r in rows]
    assert actions.count("approve_failed") == 4
    assert actions.count("approve_locked") == 1
    assert actions.count("approve_refused_locked") == 1
    assert _manager(staff).failed_attempts == 5


def test_the_lock_out_grows_and_does_not_reset_when_it_ends(db, staff):
    req = _request(staff)
    manager = staff["manager"]
    lengths = []
    for _round in range(3):
        _fail(5, lambda: approvals.approve(manager, req, "0000"))
        locked_until = _manager(staff).locked_until
        lengths.append(locked_until - clock.now())
        clock.set_now(locked_until + dt.timedelta(seconds=1))
    assert lengths == [dt.timedelta(minutes=5), dt.timedelta(minutes=10), dt.timedelta(minutes=20)]
    # after a lock-out one wrong PIN is not a fresh start of five
    assert _manager(staff).failed_attempts == 15
    # the right PIN after the lock-out works and only then the count starts again
    assert approvals.approve(manager, req, "1234").state == "approved"
    assert _manager(staff).failed_attempts == 0 and _manager(staff).locked_until is None
    other = _request(staff)
    _fail(4, lambda: approvals.reject(manager, other, "0000", "no"))
    assert _manager(staff).locked_until is None  # 4 of a fresh 5


def test_sign_in_and_approvals_share_one_count(db, staff):
    manager = staff["manager"]
    req = _request(staff)
    _fail(3, lambda: auth.authenticate("manager", "0000"))
    _fail(2, lambda: approvals.approve(manager, req, "0000"))
    with pytest.raises(PermissionDenied, match="locked"):
        auth.authenticate("manager", "1234")


def test_repeated_wrong_pins_alert_the_managers_until_seen(db, staff):
    req = _request(staff)
    assert approvals.pin_alerts() == []
    _fail(2, lambda: approvals.approve(staff["manager"], req, "0000"))
    assert approvals.pin_alerts() == []
    _fail(1, lambda: approvals.approve(staff["manager"], req, "0000"))
    alerts = approvals.pin_alerts()
    assert [(a.staff_id, a.failures, a.locked_until) for a in alerts] == [
        (staff["manager"].id, 3, None)
    ]
    assert staff["manager"].name in alerts[0].text()
    _fail(2, lambda: auth.authenticate("cashier", "0000"))
    _fail(3, lambda: auth.authenticate("cashier", "0000"))
    newest = approvals.pin_alerts()[0]
    assert newest.staff_id == staff["cashier"].id and newest.locked_until is not None
    assert "locked out" in newest.text()
    clock.set_now(clock.now() + dt.timedelta(minutes=6))
    approvals.pin_alerts_seen(staff["manager"], newest.id)
    assert approvals.pin_alerts() == []
    # a newer alert than the manager saw stays
    _fail(3, lambda: auth.authenticate("advisor", "0000"))
    assert [a.staff_id for a in approvals.pin_alerts()] == [staff["advisor"].id]


def test_unknown_login_gets_the_wrong_pin_words_and_is_audited(db, staff):
    with pytest.raises(PermissionDenied) as unknown:
        auth.authenticate("nobody_here", "1234")
    with pytest.raises(PermissionDenied) as wrong:
        auth.authenticate("cashier", "0000")
    assert str(unknown.value) == str(wrong.value) == pins.wrong_pin_message()
    assert "nobody_here" not in str(unknown.value)
    entry = AuditLog.select().where(AuditLog.action == "sign_in_unknown").get()
    assert json.loads(entry.after) == {"login": "nobody_here", "purpose": "sign_in", "failures": 1}
    Staff.update(active=False).where(Staff.id == staff["washer"].id).execute()
    with pytest.raises(PermissionDenied) as inactive:
        auth.authenticate("washer", "1234")
    assert str(inactive.value) == pins.wrong_pin_message()


def test_lockout_lengths():
    assert [pins.lockout_after(n) for n in (1, 4, 6, 9)] == [None] * 4
    assert pins.lockout_after(5) == dt.timedelta(minutes=5)
    assert pins.lockout_after(10) == dt.timedelta(minutes=10)
    assert pins.lockout_after(500) == pins.LONGEST_LOCKOUT


def test_a_made_up_login_is_locked_out_like_a_real_one(db, staff):
    """Five tries must not tell a real login from a made-up one: both lock, in the same words,
    for the same time, and both alert the managers."""
    answers = {}
    for login in ("cashier", "nobody_here"):
        seen = []
        for _ in range(6):
            with pytest.raises(PermissionDenied) as refused:
                auth.authenticate(login, "0000")
            seen.append(str(refused.value).replace(login, "LOGIN"))
        answers[login] = seen
    assert answers["cashier"] == answers["nobody_here"]
    assert answers["cashier"][:4] == [pins.wrong_pin_message()] * 4
    assert "LOGIN" in answers["cashier"][4] and answers["cashier"][4] == answers["cashier"][5]
    alerted = {a.name for a in pins.pin_alerts()}
    assert {"nobody_here", staff["cashier"].name} <= alerted
    # still refused with the lock-out words even with a PIN that would be right elsewhere
    with pytest.raises(PermissionDenied) as locked:
        auth.authenticate("nobody_here", "1234")
    assert "nobody_here" in str(locked.value)

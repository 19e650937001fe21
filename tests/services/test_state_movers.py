"""Every state of the repair-order state machine has someone who moves the order on: each
non-final state has a transition with a role, and each transition names the service that
makes it, declared with exactly those roles (no state is a dead end by construction)."""

from __future__ import annotations

import importlib

import pytest

from shop_desk.services.base import REGISTRY
from shop_desk.states import FINAL_STATES, TRANSITIONS, State, movers, target_state


@pytest.mark.parametrize("state", [s for s in State if s not in FINAL_STATES])
def test_every_state_that_is_not_final_has_a_role_that_moves_it_on(state):
    moves = movers(state)
    assert moves, f"nobody can move an order on from {state.value}"
    assert any(roles for roles in moves.values()), f"{state.value}: no move has a role"


@pytest.mark.parametrize("state", sorted(FINAL_STATES))
def test_final_states_are_final(state):
    assert movers(state) == {}


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_each_move_is_made_by_a_service_declared_with_its_roles(transition):
    module, name = transition.service.split(".")
    importlib.import_module(f"shop_desk.services.{module}")
    info = REGISTRY[name]
    assert info.func.__module__ == f"shop_desk.services.{module}"
    assert set(info.roles) == set(transition.roles), transition.action
    for source in transition.sources:
        assert target_state(source, transition.action) == transition.target


def test_every_state_but_booked_is_reached_by_some_move():
    reached = {t.target for t in TRANSITIONS}
    assert set(State) - reached == {State.BOOKED}


def test_a_finished_car_whose_work_is_not_done_can_go_back_to_the_workshop():
    """The dead end of issue 15: READY (and WASHING) lead back to rework via the supervisor."""
    for state in (State.WASHING, State.READY):
        assert "send_back" in movers(state)
        assert target_state(state, "send_back") == State.REWORK

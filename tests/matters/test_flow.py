"""The transition table, exhaustively and without a database: every (state, action, actor) either is in the
table and allowed, or is refused with a message naming the state and the allowed actions."""

from __future__ import annotations

import itertools

import pytest

from wangge.matters import flow
from wangge.matters.flow import Action, Actor, Facts, Refused, Status

FACTS = [
    Facts(0, False),
    Facts(1, False),
    Facts(0, True),
    Facts(1, True),
    Facts(has_requester=False),
    Facts(pending="extension"),
    Facts(own_resolution=True),
    Facts(dispute=True),
    Facts(1, True, has_requester=False, pending="suspension", own_resolution=True, dispute=True),
]


@pytest.mark.parametrize("state", list(Status))
def test_every_pair_is_allowed_or_refused(state):
    for action, actor, facts in itertools.product(list(Action), list(Actor), FACTS):
        rule = flow.TABLE.get((state, action))
        guard = flow._guard(state, action, facts)
        should = rule is not None and actor in rule.actors and guard is None
        if should:
            assert flow.transition(state, action, {actor}, facts) is rule
            assert action in flow.allowed(state, {actor}, facts)
        else:
            with pytest.raises(Refused) as caught:
                flow.transition(state, action, {actor}, facts)
            message = str(caught.value)
            assert f"while the matter is {state.value}" in message
            allowed = flow.allowed(state, {actor}, facts)
            assert caught.value.allowed_actions == allowed
            assert action not in allowed
            assert ", ".join(a.value for a in allowed) in message or (not allowed and "allowed: none" in message)


def test_terminal_states_allow_nothing():
    for state in flow.TERMINAL:
        assert all(flow.allowed(state, set(Actor), f) == [] for f in FACTS)


def test_every_open_state_can_be_closed_by_the_station_and_leads_somewhere():
    for state in flow.OPEN:
        assert Action.close in flow.allowed(state, {Actor.station})
    targets = {rule.to for rule in flow.TABLE.values()}
    # Every state but the first is reachable (verifying through a resolution, flow.DONE).
    assert flow.DONE in targets and flow.VERIFIED in targets
    assert set(Status) - {Status.submitted} <= targets | flow.PLACEHOLDERS | {Status.handling, Status.verifying}


def test_the_five_routes_exist_as_paths():
    def walk(state, *steps):
        for action, actor in steps:
            rule = flow.transition(state, action, {actor}, Facts(0, True))
            # A category without verification: a resolution (flow.DONE) is resolved.
            to = Status.resolved if rule.to == flow.DONE else rule.to
            state = Status(to) if to not in flow.PLACEHOLDERS else state
        return state

    g, st, s, d, r = Actor.grid_staff, Actor.station, Actor.street, Actor.department, Actor.resident
    assert walk(Status.submitted, (Action.handle_on_spot, g)) == Status.resolved
    assert walk(Status.submitted, (Action.accept, g), (Action.bring_back, g), (Action.resolve, st)) == Status.resolved
    assert walk(Status.at_station, (Action.escalate, st), (Action.sign, d), (Action.resolve, d)) == Status.resolved
    assert walk(Status.accepted, (Action.declare_emergency, g), (Action.resolve, g)) == Status.resolved
    assert (
        walk(
            Status.at_station,
            (Action.define, st),
            (Action.review_pass, s),
            (Action.approve, d),
            (Action.end_notice, st),
            (Action.confirm, r),
        )
        == Status.closed
    )


def test_guards():
    with pytest.raises(Refused, match="already been reopened once"):
        flow.transition(Status.resolved, Action.reopen, {Actor.resident}, Facts(reopen_count=1))
    with pytest.raises(Refused, match="same handler"):
        flow.transition(Status.resolved, Action.reopen_to_station, {Actor.resident}, Facts(reopen_count=0))
    with pytest.raises(Refused, match="notice period has not ended"):
        flow.transition(Status.public_notice, Action.end_notice, {Actor.station}, Facts(notice_over=False))
    with pytest.raises(Refused, match="unknown action"):
        flow.transition(Status.submitted, "fly", {Actor.station})


def test_each_rule_says_what_the_action_does():
    """The table carries the effects: the holder after the action, the clock it starts, who is told and whether
    the resident sees the step — and they agree with where the action leads."""
    for (state, action), rule in flow.TABLE.items():
        where = f"{state.value} --{action.value}-->"
        if rule.to in (Status.resolved, Status.closed, Status.merged, flow.DONE, flow.VERIFIED):
            assert rule.clock == flow.Clock.stop, where
            assert (flow.Told.reporter in rule.told) == (rule.to in (Status.resolved, flow.DONE, flow.VERIFIED)), where
        else:
            assert rule.clock != flow.Clock.stop, where
            assert flow.Told.reporter not in rule.told, where  # the resident hears once, of the resolution
        if rule.to == flow.SAME:  # a step recorded on the matter: it neither moves it nor restarts a clock
            assert (rule.holder, rule.clock, rule.route) == (None, flow.Clock.keep, None), where
        if rule.to in (Status.at_station, Status.public_notice, Status.emergency):
            assert rule.holder == "station", where
        if rule.to == Status.approval_decision:
            assert rule.holder == flow.CATEGORY_DEPARTMENT, where
        if rule.to == Status.emergency:
            assert rule.clock == flow.Clock.emergency and flow.Told.emergency in rule.told, where
        if action == Action.escalate:
            assert (rule.holder, rule.clock) == (flow.TARGET, flow.Clock.handoff), where
    # Steps between staff (a handoff sent back, an approval returned) stay off the resident's tracking page.
    hidden = {a.value for (_s, a), rule in flow.TABLE.items() if not rule.public}
    assert hidden == {
        "return",
        "review_return",
        "apply_extension",
        "apply_suspension",
        "refuse_application",
        "record_part",
    }
    assert "create" in flow.PUBLIC_STEPS and not hidden & flow.PUBLIC_STEPS


def test_allowed_rules_carry_what_each_action_needs():
    rules = dict(flow.allowed_rules(Status.submitted, {Actor.grid_staff}))
    assert list(rules) == flow.allowed(Status.submitted, {Actor.grid_staff})
    assert rules[Action.handle_on_spot].needs == {"result"} and rules[Action.accept].needs == set()


def test_the_steps_around_the_routes_have_their_guards():
    """Issue 11: nobody to contact; one application at a time, decided only while pending; a handler cannot verify
    their own resolution; only a dispute is mediated."""
    with pytest.raises(Refused, match="nobody to contact"):
        flow.transition(Status.accepted, Action.contact, {Actor.grid_staff}, Facts(has_requester=False))
    assert flow.transition(Status.accepted, Action.contact, {Actor.grid_staff}, Facts()).to == flow.SAME
    with pytest.raises(Refused, match="awaits a decision"):
        flow.transition(Status.at_station, Action.apply_extension, {Actor.station}, Facts(pending="suspension"))
    with pytest.raises(Refused, match="no application awaits"):
        flow.transition(Status.at_station, Action.approve_application, {Actor.approver}, Facts())
    rule = flow.transition(Status.at_station, Action.refuse_application, {Actor.approver}, Facts(pending="extension"))
    assert rule.needs == {"reason"} and rule.to == flow.SAME
    with pytest.raises(Refused, match="cannot verify their own"):
        flow.transition(Status.verifying, Action.verify, {Actor.verifier}, Facts(own_resolution=True))
    assert flow.transition(Status.verifying, Action.verify, {Actor.verifier}, Facts()).needs == {"note", "photos"}
    with pytest.raises(Refused, match="only a dispute"):
        flow.transition(Status.accepted, Action.mediate, {Actor.grid_staff}, Facts())
    # The holder may not approve its own application: approving is the approver's alone.
    for state in (Status.accepted, Status.at_station, Status.handling):
        holders = {a for a in Actor if a not in (Actor.approver,)}
        assert Action.approve_application not in flow.allowed(state, holders, Facts(pending="extension"))
    # A verification is the verifier's alone, and the resident rates only once it is resolved.
    assert flow.allowed(Status.verifying, set(Actor) - {Actor.verifier}, Facts()) == []

"""The life of a matter as data: which action moves it from which state to which, and who may take it.

Pure: no FastAPI, no SQLAlchemy. The service asks `allowed(...)` with the caller's relations to the matter and
applies `transition(...)`; the API lists the allowed actions on every record so the UI never guesses.

The five routes of DOMAIN.md:
1. on the spot:      submitted/accepted --handle_on_spot--> resolved
                     (a requester with a phone is contacted first 先行联系: until then it is not offered)
2. to the station:   submitted/accepted --bring_back--> at_station --resolve--> resolved
3. up the line:      at_station --escalate--> escalated --sign--> handling --resolve--> resolved
                     (escalated --return--> back to the sender, with a reason; handling --escalate--> further up)
4. emergency:        submitted/accepted/at_station --declare_emergency--> emergency --resolve--> resolved
5. approval:         at_station --define--> approval_review --review_pass--> approval_decision
                     --approve--> public_notice --end_notice--> resolved   (--refuse--> resolved, refused)
                     (review_return back to the station; object during the notice sends it back to the decision)
Then the resident rates: confirm --> closed; not satisfied --> reopen once to the same handler, then to the station.

Around them, the steps of GB/T 30428 and the hotlines' practice (issue 11):
- contact first 先行联系: the holder records contacting the requester (a step that keeps the state);
- extension 延期 / suspension 缓办: the holder applies with a reason and a date, the level above approves or refuses;
  only an approval moves the deadline;
- verification 核查: for the categories that need it a resolution waits in `verifying` for someone other than its
  handler (the station for grid matters, the street for departments'; a station's or a street's own by another of
  its officers or by the level above), who verifies
  with an on-site photo (then it waits for the rating, or closes, as the category says) or sends it back;
- callback 回访: the station records the resident's answer by phone; it counts as their rating;
- mediation 调解: sessions of a dispute, recorded by its holder;
- joint handling 协商: the holder convenes co-operating departments, each of which records its part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    submitted = "submitted"  # 待受理
    accepted = "accepted"  # 已受理 (in the grid)
    at_station = "at_station"  # 带回服务站
    escalated = "escalated"  # 已上报待签收
    handling = "handling"  # 办理中 (street or department)
    emergency = "emergency"  # 突发处置
    approval_review = "approval_review"  # 街道审核
    approval_decision = "approval_decision"  # 区部门审批
    public_notice = "public_notice"  # 公示中
    verifying = "verifying"  # 待核查: resolved by its handler, awaiting verification by someone else
    resolved = "resolved"  # 已办结, awaiting the resident's rating
    closed = "closed"  # 已关闭
    merged = "merged"  # 已合并 into another matter


# Open: somebody still owes work on it and its clocks run (a verification has its own queue: matters.loop).
OPEN = frozenset(Status) - {Status.verifying, Status.resolved, Status.closed, Status.merged}
TERMINAL = frozenset({Status.closed, Status.merged})


class Actor(StrEnum):
    """How the caller relates to a matter; the service works these out, the table only names them."""

    grid_staff = "grid_staff"  # grid leader or member of the matter's grid (or covering it)
    station = "station"  # station chief of the matter's community
    street = "street"  # street officer of the matter's street, while the street holds it
    department = "department"  # officer of the department that holds it
    resident = "resident"  # the reporter, through the public tracking page
    system = "system"  # the worker (notice periods that end)
    approver = "approver"  # an officer of the level above the holder, while an application awaits a decision
    verifier = "verifier"  # the level that verifies (service.VERIFIER_LEVELS), not the handler
    cooperator = "cooperator"  # an officer of a department convened to co-operate 协办


class Action(StrEnum):
    accept = "accept"
    handle_on_spot = "handle_on_spot"
    bring_back = "bring_back"
    escalate = "escalate"
    sign = "sign"
    return_ = "return"
    resolve = "resolve"
    declare_emergency = "declare_emergency"
    define = "define"
    review_pass = "review_pass"
    review_return = "review_return"
    approve = "approve"
    refuse = "refuse"
    object = "object"
    end_notice = "end_notice"
    confirm = "confirm"
    reopen = "reopen"
    reopen_to_station = "reopen_to_station"
    close = "close"
    merge = "merge"
    contact = "contact"  # 先行联系
    apply_extension = "apply_extension"  # 申请延期
    apply_suspension = "apply_suspension"  # 申请缓办
    approve_application = "approve_application"
    refuse_application = "refuse_application"
    verify = "verify"  # 核查通过
    send_back = "send_back"  # 核查退回
    callback = "callback"  # 回访
    mediate = "mediate"  # 调解 (a session)
    coordinate = "coordinate"  # 协商: convene co-operating departments
    record_part = "record_part"  # a co-operator's part 协办情况


# Placeholder targets the service resolves from the record: the sender of a returned handoff, or the handler a
# reopened matter goes back to.
SENDER = "sender"
HANDLER = "handler"
# The state stays as it is (a step recorded on the matter: a contact, an application, a mediation session).
SAME = "same"
# A resolution: `verifying` when the category needs verification, `resolved` otherwise.
DONE = "done"
# After verification: `closed` when the category closes on verification, `resolved` (awaiting the rating) otherwise.
VERIFIED = "verified"
# A callback's answer: satisfied closes it; not satisfied reopens it as a rating would (HANDLER, then the station).
ANSWERED = "answered"
PLACEHOLDERS = frozenset({SENDER, HANDLER, SAME, DONE, VERIFIED, ANSWERED})


class Clock(StrEnum):
    """What an action does to the matter's clocks (the working-time limits of its category, DOMAIN.md)."""

    keep = "keep"  # unchanged
    signed = "signed"  # the holder signed for it: the sign clock stops, the handling clock runs on
    handle = "handle"  # the new holder's handling clock starts (and its sign clock, where the level signs)
    handoff = "handoff"  # the receiving level's sign and handling clocks, kept on the handoff too
    emergency = "emergency"  # the emergency clock, in minutes
    notice = "notice"  # the public notice period
    stop = "stop"  # no clock runs any more


class Told(StrEnum):
    """Who hears of an action besides the matter's first-ask owner, who hears of every change."""

    holder = "holder"  # the unit that holds the matter after it
    emergency = "emergency"  # the station, the street and the grid at once
    reporter = "reporter"  # the resident (through the webhook's matter.resolved: SMS or the hotline's system)
    approver = "approver"  # the level that decides an application
    cooperators = "cooperators"  # the departments convened


# Holders that depend on the record: the level chosen for an escalation, the department of the category.
TARGET = "target"
CATEGORY_DEPARTMENT = "category_department"


@dataclass(frozen=True)
class Rule:
    """One row of the table: the state an action leads to, who may take it, what it needs, and what it does —
    the holder after it, which clock starts, who is told and whether the resident's tracking page shows it."""

    to: str
    actors: frozenset[Actor]
    needs: frozenset[str] = field(default_factory=frozenset)  # fields the action's body must carry
    route: str | None = None  # the route this action puts the matter on
    holder: str | None = None  # a level, TARGET, CATEGORY_DEPARTMENT, SENDER or HANDLER; None: unchanged
    clock: Clock = Clock.keep
    told: frozenset[Told] = frozenset({Told.holder})
    public: bool = True  # shown as a step on the resident's tracking page
    accepts: frozenset[str] = frozenset()  # fields the body may carry besides its needs (after photos)


_NOBODY: frozenset[Told] = frozenset()
_RESOLVED = frozenset({Told.reporter})


def _r(
    to: str,
    *actors: Actor,
    needs: tuple[str, ...] = (),
    route: str | None = None,
    holder: str | None = None,
    clock: Clock = Clock.keep,
    told: frozenset[Told] | None = None,
    public: bool = True,
    accepts: tuple[str, ...] = (),
) -> Rule:
    if told is None:
        told = (
            _RESOLVED
            if to in (Status.resolved, DONE, VERIFIED, ANSWERED)
            else _NOBODY
            if to in TERMINAL
            else frozenset({Told.holder})
        )
    return Rule(to, frozenset(actors), frozenset(needs), route, holder, clock, told, public, frozenset(accepts))


S, A, G, ST, STR, D, R, SYS = (
    Status,
    Action,
    Actor.grid_staff,
    Actor.station,
    Actor.street,
    Actor.department,
    Actor.resident,
    Actor.system,
)

K = Clock
STOP = {"clock": K.stop}
# A resolution may carry the "after" photos 处理后照片 of the place, beside the "before" ones it was reported with.
AFTER_PHOTOS = ("photos",)

TABLE: dict[tuple[Status, Action], Rule] = {
    (S.submitted, A.accept): _r(S.accepted, G, ST, clock=K.signed),
    (S.submitted, A.handle_on_spot): _r(DONE, G, needs=("result",), route="on_spot", accepts=AFTER_PHOTOS, **STOP),
    (S.accepted, A.handle_on_spot): _r(DONE, G, needs=("result",), route="on_spot", accepts=AFTER_PHOTOS, **STOP),
    # 带回: the station is told why the grid could not settle it there.
    (S.submitted, A.bring_back): _r(
        S.at_station, G, ST, needs=("reason",), route="station", holder="station", clock=K.handle
    ),
    (S.accepted, A.bring_back): _r(
        S.at_station, G, needs=("reason",), route="station", holder="station", clock=K.handle
    ),
    (S.accepted, A.resolve): _r(DONE, G, needs=("result",), accepts=AFTER_PHOTOS, **STOP),
    (S.at_station, A.resolve): _r(DONE, ST, needs=("result",), accepts=AFTER_PHOTOS, **STOP),
    (S.at_station, A.escalate): _r(
        S.escalated, ST, needs=("target", "reason"), route="escalated", holder=TARGET, clock=K.handoff
    ),
    (S.handling, A.escalate): _r(
        S.escalated, STR, needs=("target", "reason"), route="escalated", holder=TARGET, clock=K.handoff
    ),
    (S.escalated, A.sign): _r(S.handling, STR, D, clock=K.signed, told=_NOBODY),
    (S.escalated, A.return_): _r(SENDER, STR, D, needs=("reason",), holder=SENDER, clock=K.handle, public=False),
    (S.handling, A.resolve): _r(DONE, STR, D, needs=("result",), accepts=AFTER_PHOTOS, **STOP),
    # The system declares it at intake (matters/intake.py) when the category is an emergency one, whichever way
    # the matter came in and whatever its first step.
    **{
        (state, A.declare_emergency): _r(
            S.emergency,
            *actors,
            route="emergency",
            holder="station",
            clock=K.emergency,
            told=frozenset({Told.emergency}),
        )
        for state, actors in (
            (S.submitted, (G, ST, SYS)),
            (S.accepted, (G, ST, SYS)),
            (S.at_station, (ST, SYS)),
        )
    },
    (S.emergency, A.resolve): _r(DONE, G, ST, needs=("result",), accepts=AFTER_PHOTOS, **STOP),
    (S.at_station, A.define): _r(
        S.approval_review, ST, needs=("reason",), route="approval", holder="street", clock=K.handle
    ),
    (S.approval_review, A.review_pass): _r(S.approval_decision, STR, holder=CATEGORY_DEPARTMENT, clock=K.handle),
    (S.approval_review, A.review_return): _r(
        S.at_station, STR, needs=("reason",), holder="station", clock=K.handle, public=False
    ),
    (S.approval_decision, A.approve): _r(
        S.public_notice, D, needs=("result",), holder="station", clock=K.notice, told=_NOBODY
    ),
    (S.approval_decision, A.refuse): _r(S.resolved, D, needs=("result",), **STOP),
    (S.public_notice, A.object): _r(
        S.approval_decision, R, needs=("reason",), holder=CATEGORY_DEPARTMENT, clock=K.handle
    ),
    (S.public_notice, A.end_notice): _r(S.resolved, ST, SYS, **STOP),
    (S.resolved, A.confirm): _r(S.closed, R, **STOP),
    (S.resolved, A.reopen): _r(HANDLER, R, needs=("reason",), holder=HANDLER, clock=K.handle),
    (S.resolved, A.reopen_to_station): _r(S.at_station, R, needs=("reason",), holder="station", clock=K.handle),
}
# The station chief may close (with an explanation) or merge any open matter of the community.
for _state in OPEN:
    TABLE[(_state, A.close)] = _r(S.closed, ST, needs=("reason",), **STOP)
    if _state in (S.submitted, S.accepted, S.at_station):
        TABLE[(_state, A.merge)] = _r(S.merged, ST, needs=("into",), **STOP)


# --- the steps around the routes (issue 11) ----------------------------------------------------------------------

# Who holds a matter in each state where it is being worked on (the holder contacts, applies, mediates).
_HOLDERS: dict[Status, tuple[Actor, ...]] = {
    S.submitted: (G,),
    S.accepted: (G,),
    S.at_station: (ST,),
    S.handling: (STR, D),
    S.emergency: (G, ST),
}
for _state, _actors in _HOLDERS.items():
    TABLE[(_state, A.contact)] = _r(SAME, *_actors, needs=("contact",), told=_NOBODY)
    if _state in (S.accepted, S.at_station, S.handling):
        for _apply in (A.apply_extension, A.apply_suspension):
            TABLE[(_state, _apply)] = _r(
                SAME, *_actors, needs=("reason", "until"), told=frozenset({Told.approver}), public=False
            )
        TABLE[(_state, A.approve_application)] = _r(SAME, Actor.approver)
        TABLE[(_state, A.refuse_application)] = _r(SAME, Actor.approver, needs=("reason",), public=False)
        TABLE[(_state, A.mediate)] = _r(SAME, *_actors, needs=("session",), told=_NOBODY)
    if _state in (S.at_station, S.handling):
        TABLE[(_state, A.coordinate)] = _r(
            SAME, *_actors, needs=("departments", "reason"), told=frozenset({Told.cooperators})
        )
# A co-operator records its part while the lead still works on it (or before the lead has signed for it).
for _state in (S.at_station, S.escalated, S.handling):
    TABLE[(_state, A.record_part)] = _r(SAME, Actor.cooperator, needs=("part",), public=False)
TABLE[(S.verifying, A.verify)] = _r(
    VERIFIED, Actor.verifier, needs=("note", "photos"), clock=K.stop, told=frozenset({Told.reporter})
)
# Sent back, the resident sees it is being worked on again (not why: the reason is between staff).
TABLE[(S.verifying, A.send_back)] = _r(HANDLER, Actor.verifier, needs=("reason",), holder=HANDLER, clock=K.handle)
TABLE[(S.resolved, A.callback)] = _r(ANSWERED, ST, STR, needs=("answer",), told=_NOBODY)


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about the record (and the caller's part in it), beyond its status."""

    reopen_count: int = 0
    notice_over: bool = False
    has_requester: bool = True  # somebody to contact: a reporter with a phone
    pending: str | None = None  # the kind of application awaiting a decision ("extension", "suspension")
    own_resolution: bool = False  # the caller resolved it (and so may not verify it)
    dispute: bool = False  # the category is mediated
    contact_owed: bool = False  # a requester with a phone, whom nobody has contacted yet (先行联系 still owed)


def _guard(state: Status, action: Action, facts: Facts) -> str | None:
    """Why an action the table allows cannot be taken now, or None."""
    if action == A.reopen and facts.reopen_count >= 1:
        return "it has already been reopened once; a second dissatisfaction goes to the station chief"
    if action == A.reopen_to_station and facts.reopen_count < 1:
        return "the first dissatisfaction goes back to the same handler"
    if action == A.end_notice and not facts.notice_over:
        return "the notice period has not ended yet"
    if action == A.contact and not facts.has_requester:
        return "nobody to contact: the matter has no requester's phone"
    if action == A.handle_on_spot and facts.contact_owed:
        # First-ask responsibility: the requester hears from the grid before their matter is settled on the spot
        # (handled, it can no longer be contacted first).
        return "contact the requester first: handling on the spot closes the matter"
    if action in (A.apply_extension, A.apply_suspension) and facts.pending:
        return f"an application for {facts.pending} awaits a decision"
    if action in (A.approve_application, A.refuse_application) and not facts.pending:
        return "no application awaits a decision"
    if action in (A.verify, A.send_back) and facts.own_resolution:
        return "a handler cannot verify their own resolution"
    if action == A.mediate and not facts.dispute:
        return "only a dispute's matter is mediated"
    return None


def allowed_rules(
    state: Status, actors: frozenset[Actor] | set[Actor], facts: Facts = Facts()
) -> list[tuple[Action, Rule]]:
    """The actions this caller may take now with their rules (what each needs), in table order."""
    return [
        (a, rule)
        for (s, a), rule in TABLE.items()
        if s == state and rule.actors & set(actors) and _guard(s, a, facts) is None
    ]


PUBLIC_STEPS = frozenset({"create"} | {a.value for (_s, a), rule in TABLE.items() if rule.public})


def allowed(state: Status, actors: frozenset[Actor] | set[Actor], facts: Facts = Facts()) -> list[Action]:
    """The actions this caller may take now, in table order."""
    return [
        a for (s, a), rule in TABLE.items() if s == state and rule.actors & set(actors) and _guard(s, a, facts) is None
    ]


class Refused(Exception):
    """An action that may not be taken; the message names the state and the allowed actions."""

    def __init__(self, state: Status, action: str, allowed_actions: list[Action], why: str | None = None) -> None:
        self.state, self.action, self.allowed_actions = state, action, allowed_actions
        listed = ", ".join(a.value for a in allowed_actions) or "none"
        reason = f" ({why})" if why else ""
        super().__init__(f"'{action}' is not allowed while the matter is {state.value}{reason}; allowed: {listed}")


def transition(
    state: Status, action: Action | str, actors: frozenset[Actor] | set[Actor], facts: Facts = Facts()
) -> Rule:
    """The rule for taking `action` now, or Refused."""
    try:
        action = Action(action)
    except ValueError:
        raise Refused(state, str(action), allowed(state, actors, facts), "unknown action") from None
    rule = TABLE.get((state, action))
    if rule is None or not rule.actors & set(actors):
        raise Refused(state, action.value, allowed(state, actors, facts))
    why = _guard(state, action, facts)
    if why:
        raise Refused(state, action.value, allowed(state, actors, facts), why)
    return rule

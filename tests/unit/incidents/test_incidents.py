"""Incident lifecycle table, apology templates, severity, evidence hash, postmortem (C7, R1, M6)."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.core.errors import IllegalTransition, ValidationFailed
from chalicelib.incidents.base import parse_post_ref
from chalicelib.incidents.domain import (
    INCIDENT_TRANSITIONS,
    Decision,
    Incident,
    IncidentAction,
    IncidentStatus,
    PostSnapshot,
    Roles,
    Severity,
    TimelineEntry,
    Trigger,
    draft_apology,
    evidence_hash,
    next_incident_status,
    postmortem,
    severity_for,
    template_for,
)

S, A = IncidentStatus, IncidentAction
ACTIVE = (
    S.OPEN,
    S.ASSESSING,
    S.AWAITING_DECISION,
    S.ESCALATED,
    S.CONTAINING,
    S.APOLOGISING,
    S.MONITORING,
)

EXPECTED = {
    (S.OPEN, A.ASSESS): S.ASSESSING,
    (S.ASSESSING, A.ASK_DECISION): S.AWAITING_DECISION,
    (S.AWAITING_DECISION, A.DECIDE): S.CONTAINING,
    (S.AWAITING_DECISION, A.ESCALATE): S.ESCALATED,
    (S.ESCALATED, A.DECIDE): S.CONTAINING,
    (S.CONTAINING, A.CONTAIN_DONE): S.APOLOGISING,
    (S.APOLOGISING, A.APOLOGY_PUBLISHED): S.MONITORING,
    (S.MONITORING, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.FAILED, A.RESOLVE): S.RESOLVED,
    **{(s, A.FAIL): S.FAILED for s in ACTIVE},
}
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_table_is_exactly_the_documented_one() -> None:
    assert INCIDENT_TRANSITIONS == EXPECTED


# The spaces are small (10 statuses x 9 actions): hypothesis exhausts the pairs.
FAST = settings(max_examples=200, database=None, derandomize=True, deadline=None)
statuses = st.sampled_from(IncidentStatus)
actions = st.sampled_from(IncidentAction)
# The documented moves out of the end states: a failed playbook is resolved by hand, and
# a resolved incident is closed. Nothing else leaves them.
AFTER_THE_END = {S.RESOLVED: {A.CLOSE}, S.FAILED: {A.RESOLVE}, S.CLOSED: set()}
FAILABLE = frozenset(set(IncidentStatus) - set(AFTER_THE_END))


def _reachable(
    start: IncidentStatus, without: frozenset[IncidentAction] = frozenset()
) -> set[IncidentStatus]:
    """The statuses the real table can move ``start`` to, never taking ``without``."""
    seen, queue = {start}, deque([start])
    while queue:
        here = queue.popleft()
        for (src, action), dst in INCIDENT_TRANSITIONS.items():
            if src is here and action not in without and dst not in seen:
                seen.add(dst)
                queue.append(dst)
    return seen


@FAST
@given(statuses, st.lists(actions, min_size=1, max_size=12))
def test_any_run_of_actions_follows_the_table_or_is_refused_by_name(
    start: IncidentStatus, run: list[IncidentAction]
) -> None:
    status = start  # any start will do: every status is reachable from open
    for action in run:
        before = status
        if (before, action) in EXPECTED:
            status = next_incident_status(before, action)
            assert status is EXPECTED[(before, action)]
        else:
            with pytest.raises(IllegalTransition) as err:
                next_incident_status(before, action)
            assert before.value in err.value.message and action.value in err.value.message
            assert err.value.field == "status"


@FAST
@given(st.sampled_from(sorted(AFTER_THE_END)), actions)
def test_the_end_states_allow_only_the_documented_moves(
    status: IncidentStatus, action: IncidentAction
) -> None:
    if action in AFTER_THE_END[status]:
        next_incident_status(status, action)
    else:
        with pytest.raises(IllegalTransition):
            next_incident_status(status, action)


@FAST
@given(statuses)
def test_fail_is_allowed_exactly_from_the_failable_states(status: IncidentStatus) -> None:
    if status in FAILABLE:
        assert next_incident_status(status, A.FAIL) is S.FAILED
    else:
        with pytest.raises(IllegalTransition):
            next_incident_status(status, A.FAIL)


@FAST
@given(statuses, actions)
def test_an_action_always_leads_to_the_same_status(
    status: IncidentStatus, action: IncidentAction
) -> None:
    targets = {to for (_, act), to in INCIDENT_TRANSITIONS.items() if act is action}
    assert len(targets) == 1
    try:
        moved = next_incident_status(status, action)
    except IllegalTransition:
        return
    assert {moved} == targets


def test_every_status_is_reachable_from_open() -> None:
    assert _reachable(S.OPEN) == set(IncidentStatus)


@FAST
@given(statuses)
def test_every_incident_can_still_be_closed(status: IncidentStatus) -> None:
    assert S.CLOSED in _reachable(status)


@FAST
@given(st.sampled_from([A.ASSESS, A.ASK_DECISION, A.DECIDE, A.CONTAIN_DONE, A.APOLOGY_PUBLISHED]))
def test_resolved_only_after_the_whole_playbook_or_a_failure(needed: IncidentAction) -> None:
    # Escalating is optional; skip any other step and only a failure leads to resolved.
    assert S.RESOLVED in _reachable(S.OPEN, without=frozenset({A.FAIL}))
    assert S.RESOLVED not in _reachable(S.OPEN, without=frozenset({A.FAIL, needed}))


def test_apology_templates_speak_in_a_voice_and_say_what_changes() -> None:
    text = draft_apology("own_mistake", "Olivia Owner, CEO", NOW)
    assert "sorry" in text and text.endswith("— Olivia Owner, CEO")
    assert "approval" in text  # how it will not happen again
    assert "25 Nov, 12:00:00 UTC" in text  # names the post: no two incidents draft the same
    assert draft_apology("own_mistake", "x", NOW) != draft_apology(
        "own_mistake", "x", NOW + timedelta(minutes=1)
    )
    hack = draft_apology("hack", "Olivia", NOW, fix="We rotated every password.")
    assert "got into our account" in hack and "We rotated every password." in hack
    with pytest.raises(ValidationFailed) as err:
        draft_apology("excuse", "x", NOW)
    assert err.value.field == "template"


def test_every_template_fits_on_x_with_a_long_name() -> None:
    from chalicelib.incidents.domain import APOLOGY_TEMPLATES
    from chalicelib.posts.text import X_MAX_WEIGHTED_LENGTH, x_weighted_length

    for template in APOLOGY_TEMPLATES:
        text = draft_apology(template, "Maximiliane Oberhauser-Lindqvist, CEO", NOW)
        assert x_weighted_length(text) <= X_MAX_WEIGHTED_LENGTH - 20, template


def test_template_choice() -> None:
    assert template_for(True, True) == "hack"
    assert template_for(False, True) == "agency_mistake"
    assert template_for(False, False) == "own_mistake"


def test_severity() -> None:
    assert severity_for("delete", True, []) is Severity.CRITICAL
    assert severity_for("delete", False, ["sexual"]) is Severity.CRITICAL
    assert severity_for("delete", False, ["offensive"]) is Severity.HIGH
    assert severity_for("keep", False, ["offensive"]) is Severity.MEDIUM
    assert severity_for("keep", False, []) is Severity.LOW


def test_evidence_hash_is_canonical() -> None:
    assert evidence_hash({"a": 1, "b": "ü"}) == evidence_hash({"b": "ü", "a": 1})
    assert evidence_hash({"a": 1}) != evidence_hash({"a": 2})


TID_ID = "the Bluesky record key's integer"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("1234567890", "1234567890"),
        ("https://x.com/acme/status/1234567890", "1234567890"),
        ("https://twitter.com/acme/status/1234567890?s=20", "1234567890"),
        ("https://x.com/i/web/status/99/", "99"),
        # Mastodon: the status URL on its instance (local and remote accounts)
        ("https://mastodon.social/@acme/113456789012345678", "113456789012345678"),
        ("https://social.example/@acme@mastodon.social/1134567", "1134567"),
        # Bluesky: the record key is a TID, read as the integer Firebreak uses as its id
        ("https://bsky.app/profile/acme.bsky.social/post/3l3qo2vuowo2b", TID_ID),
        ("at://did:plc:abc123/app.bsky.feed.post/3l3qo2vuowo2b", TID_ID),
    ],
)
def test_post_refs(ref: str, expected: str) -> None:
    if expected == TID_ID:
        from chalicelib.networks.bluesky_text import tid_to_id

        expected = tid_to_id("3l3qo2vuowo2b")
    assert parse_post_ref(ref) == expected


@pytest.mark.parametrize(
    "ref",
    [
        "https://example.com/not-a-post",
        "https://bsky.app/profile/acme.bsky.social/post/not-a-tid!",
        "https://mastodon.social/@acme/about",
    ],
)
def test_bad_post_ref_names_the_field(ref: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_post_ref(ref)
    assert err.value.field == "post"


def test_postmortem_times_and_decisions() -> None:
    incident = Incident(
        id="inc_1",
        account_id="acct",
        post=PostSnapshot(
            "42", "https://x.com/a/status/42", "bad", created_at=NOW - timedelta(seconds=90)
        ),
        trigger=Trigger.NOT_PUBLISHED_BY_FIREBREAK,
        severity=Severity.HIGH,
        status=S.RESOLVED,
        roles=Roles("u_olivia"),
        opened_at=NOW,
        opened_by="watcher",
        decision=Decision.DELETE,
        post_deleted=True,
    )

    def entry(
        kind: str, after: int, actor: str = "playbook", channel: str = "system"
    ) -> TimelineEntry:
        return TimelineEntry(
            f"{after:04d}", NOW + timedelta(seconds=after), actor, channel, kind, kind
        )

    timeline = [
        entry("opened", 0),
        entry("frozen", 1),
        entry("decided", 60, "u_olivia", "email"),
        entry("post_deleted", 62),
        entry("apology_approved", 300, "u_adam", "email"),
        entry("apology_published", 301),
        entry("resolved", 3600, "u_olivia", "api"),
    ]
    report = postmortem(incident, timeline)
    assert report["seconds"] == {
        "to_detect": 90.0,
        "to_freeze": 1.0,
        "to_decide": 60.0,
        "to_delete": 62.0,
        "to_apologise": 301.0,
        "to_resolve": 3600.0,
    }
    assert [(d["who"], d["channel"]) for d in report["decisions"]] == [
        ("u_olivia", "email"),
        ("u_adam", "email"),
        ("u_olivia", "api"),
    ]


# -- "was this a hack?": a person's answer, not the suspicion, speaks in public ----


@pytest.mark.parametrize(
    ("suspected", "answer", "checklist", "template"),
    [
        (True, True, True, "hack"),
        (True, False, False, "own_mistake"),
        (True, None, True, "own_mistake"),  # secured on a suspicion, never called a hack
        (False, True, True, "hack"),  # a person knows what Firebreak could not see
        (False, False, False, "own_mistake"),
        (False, None, False, "own_mistake"),
    ],
)
def test_the_hack_answer_chooses_checklist_and_template(
    suspected: bool, answer: bool | None, checklist: bool, template: str
) -> None:
    from chalicelib.incidents.domain import needs_security_checklist, template_for

    assert needs_security_checklist(suspected, answer) is checklist
    assert template_for(answer, author_is_agency=False) == template


def test_hack_answers_from_a_form() -> None:
    from chalicelib.core.errors import ValidationFailed
    from chalicelib.incidents.domain import hack_answer_label, parse_hack_answer

    assert parse_hack_answer("yes") is True and parse_hack_answer(" No ") is False
    assert parse_hack_answer("unsure") is None and parse_hack_answer(None) is None
    with pytest.raises(ValidationFailed) as excinfo:
        parse_hack_answer("maybe")
    assert excinfo.value.field == "hack"
    assert [hack_answer_label(a) for a in (True, False, None)] == [
        "confirmed",
        "rejected",
        "unanswered",
    ]

"""Parsing the postmortem's notes: what is kept, what is refused and which field says so."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.core.errors import ValidationFailed
from chalicelib.incidents.notes import (
    MAX_FOLLOW_UPS,
    MAX_LESSONS,
    FollowUp,
    PostmortemNotes,
    parse_notes,
)

PEOPLE = {"u_olivia", "u_bob"}


def test_a_full_body_is_kept_trimmed_and_empty_rows_dropped() -> None:
    notes = parse_notes(
        {
            "summary": "  s  ",
            "cause": "c",
            "lessons": ["one", "   ", "two"],
            "follow_ups": [
                {"what": "do it", "owner": "u_bob", "due": "2026-12-31", "done": True},
                {"what": "", "owner": None},
            ],
        },
        PEOPLE,
    )
    assert notes.summary == "s" and notes.lessons == ("one", "two")
    assert notes.follow_ups == (FollowUp("do it", "u_bob", date(2026, 12, 31), True),)
    again = PostmortemNotes.from_dict({**notes.to_dict(), "revision": 3})
    assert again.follow_ups == notes.follow_ups and again.revision == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ({"summary": 5}, "summary"),
        ({"summary": "x" * 4001}, "summary"),
        ({"extra": 1}, "extra"),
        ({"lessons": "one"}, "lessons"),
        ({"lessons": ["x"] * (MAX_LESSONS + 1)}, "lessons"),
        ({"lessons": ["x" * 1001]}, "lessons.0"),
        ({"follow_ups": [{"what": "x"}] * (MAX_FOLLOW_UPS + 1)}, "follow_ups"),
        ({"follow_ups": ["x"]}, "follow_ups.0"),
        ({"follow_ups": [{"owner": "u_bob"}]}, "follow_ups.0.what"),
        ({"follow_ups": [{"what": "x", "owner": "u_eve"}]}, "follow_ups.0.owner"),
        ({"follow_ups": [{"what": "x", "owner": "u_bob", "due": "31.12."}]}, "follow_ups.0.due"),
        ({"follow_ups": [{"what": "x", "owner": "u_bob", "done": "yes"}]}, "follow_ups.0.done"),
        ({"follow_ups": [{"what": "x", "owner": "u_bob", "who": 1}]}, "follow_ups.0.who"),
    ],
)
def test_bad_notes_name_their_field(body: object, field: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_notes(body, PEOPLE)
    assert err.value.field == field

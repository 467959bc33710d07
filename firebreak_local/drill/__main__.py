"""``python -m firebreak_local.drill`` (``make drill``): the crisis drills on a fresh
local stack; see ``firebreak_local.drill``."""

from __future__ import annotations

import sys

from firebreak_local.drill.runner import main

if __name__ == "__main__":
    sys.exit(main())

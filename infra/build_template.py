"""Writes the template that ``chalice package --merge-template`` merges: infra/resources.json
with the playbook state machine's ``Definition`` read from infra/playbook.asl.json and the
dashboard and alarms of infra/observability.py.

The ASL stays one file, used unchanged by the local stack and by this build;
``${...}`` placeholders are resolved by CloudFormation's ``DefinitionSubstitutions``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

INFRA = Path(__file__).resolve().parent
sys.path.insert(0, str(INFRA.parent))  # run as a script: the repo's packages too

from infra import observability  # noqa: E402


def build() -> dict[str, object]:
    template = json.loads((INFRA / "resources.json").read_text())
    definition = json.loads((INFRA / "playbook.asl.json").read_text())
    template["Resources"]["PlaybookStateMachine"]["Properties"]["Definition"] = definition
    template["Resources"].update(observability.resources())
    return template


def main(out: str) -> int:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(build(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

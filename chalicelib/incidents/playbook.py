"""The incident response playbook (C1-C7, R1-R2, M5), one service per part over the
same incident store, state machine and settings. ``chalicelib.wiring`` builds one.

- ``lifecycle`` (``service.py``): what people do: open, decide, checklist, updates,
  roles, resolve, close, postmortem.
- ``steps`` (``steps.py``): what each automated step of the state machine does.
- ``apology`` (``apology.py``): the apology's draft, approval and posting.
- ``links`` (``links.py``): mailed links on incidents.
- ``watcher`` (``watcher.py``): the timeline watcher and status-update reminders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.incidents.apology import ApologyDesk
from chalicelib.incidents.base import IncidentDeps, PlaybookConfig
from chalicelib.incidents.links import IncidentLinks
from chalicelib.incidents.service import IncidentService
from chalicelib.incidents.steps import PlaybookSteps
from chalicelib.incidents.watcher import Watcher

if TYPE_CHECKING:
    from chalicelib.ports import Incidents, StateMachine
    from chalicelib.services import Firebreak

__all__ = ["Playbook", "PlaybookConfig"]


class Playbook:
    def __init__(
        self,
        *,
        service: Firebreak,
        incidents: Incidents,
        machine: StateMachine,
        scorer: Callable[[], Any],
        config: PlaybookConfig,
    ) -> None:
        deps = IncidentDeps(service, incidents, machine, scorer, config)
        self.deps = deps
        self.service = service
        self.incidents = incidents
        self.apology = ApologyDesk(deps)
        self.steps = PlaybookSteps(deps, self.apology)
        self.lifecycle = IncidentService(deps, self.steps)
        self.links = IncidentLinks(deps, self.lifecycle, self.apology)
        self.watcher = Watcher(deps, self.lifecycle)

    @property
    def config(self) -> PlaybookConfig:
        return self.deps.config

    @config.setter
    def config(self, config: PlaybookConfig) -> None:
        """Every part reads the new settings (tests shorten the timeouts)."""
        self.deps.config = config

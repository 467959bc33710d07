"""Settings from the environment: defaults, and bad values named in the error."""

from __future__ import annotations

import pytest

from chalicelib.core.settings import Settings, SettingsError


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s.scorer == "embedded"
    assert s.triage_encoder == "on"


def test_triage_encoder_modes() -> None:
    for mode in ("on", "cascade", "off"):
        assert Settings.from_env({"FIREBREAK_TRIAGE_ENCODER": mode}).triage_encoder == mode


def test_bad_triage_encoder_is_named() -> None:
    with pytest.raises(SettingsError, match="FIREBREAK_TRIAGE_ENCODER must be on, cascade or off"):
        Settings.from_env({"FIREBREAK_TRIAGE_ENCODER": "fast"})


def test_bad_scorer_is_named() -> None:
    with pytest.raises(SettingsError, match="FIREBREAK_SCORER must be embedded or comprehend"):
        Settings.from_env({"FIREBREAK_SCORER": "openai"})


def test_bad_number_is_named() -> None:
    with pytest.raises(SettingsError, match="FIREBREAK_LINK_TTL_HOURS must be a number"):
        Settings.from_env({"FIREBREAK_LINK_TTL_HOURS": "soon"})

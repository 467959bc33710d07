"""Settings from the environment: defaults, and bad values named in the error."""

from __future__ import annotations

import pytest

from chalicelib.core.settings import Settings, SettingsError


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s.scorer == "embedded"
    assert s.triage_encoder == "on"
    assert (s.guardrail_id, s.guardrail_version) == ("", "DRAFT")


def test_triage_encoder_modes() -> None:
    for mode in ("on", "cascade", "off"):
        assert Settings.from_env({"FIREBREAK_TRIAGE_ENCODER": mode}).triage_encoder == mode


def test_bad_triage_encoder_is_named() -> None:
    with pytest.raises(SettingsError, match="FIREBREAK_TRIAGE_ENCODER must be on, cascade or off"):
        Settings.from_env({"FIREBREAK_TRIAGE_ENCODER": "fast"})


def test_bad_scorer_is_named() -> None:
    with pytest.raises(
        SettingsError, match="FIREBREAK_SCORER must be embedded, comprehend or bedrock"
    ):
        Settings.from_env({"FIREBREAK_SCORER": "openai"})


def test_scorers() -> None:
    assert Settings.from_env({"FIREBREAK_SCORER": "comprehend"}).scorer == "comprehend"
    s = Settings.from_env(
        {
            "FIREBREAK_SCORER": "bedrock",
            "FIREBREAK_GUARDRAIL_ID": "gr0abc123xyz",
            "FIREBREAK_GUARDRAIL_VERSION": "12",
        }
    )
    assert (s.scorer, s.guardrail_id, s.guardrail_version) == ("bedrock", "gr0abc123xyz", "12")


def test_bedrock_defaults_to_the_draft_and_takes_an_arn() -> None:
    arn = "arn:aws:bedrock:eu-central-1:123456789012:guardrail/gr0abc123xyz"
    s = Settings.from_env({"FIREBREAK_SCORER": "bedrock", "FIREBREAK_GUARDRAIL_ID": arn})
    assert (s.guardrail_id, s.guardrail_version) == (arn, "DRAFT")


@pytest.mark.parametrize("guardrail_id", [None, ""])
def test_bedrock_without_a_guardrail_names_the_variable(guardrail_id: str | None) -> None:
    env = {"FIREBREAK_SCORER": "bedrock"}
    if guardrail_id is not None:
        env["FIREBREAK_GUARDRAIL_ID"] = guardrail_id
    with pytest.raises(
        SettingsError, match="FIREBREAK_GUARDRAIL_ID must be set when FIREBREAK_SCORER is bedrock"
    ):
        Settings.from_env(env)


@pytest.mark.parametrize("guardrail_id", ["My Guardrail", "arn:aws:s3:::bucket", "GR0ABC"])
def test_bad_guardrail_id_is_named(guardrail_id: str) -> None:
    with pytest.raises(SettingsError, match="FIREBREAK_GUARDRAIL_ID must be a guardrail id or ARN"):
        Settings.from_env({"FIREBREAK_SCORER": "bedrock", "FIREBREAK_GUARDRAIL_ID": guardrail_id})


@pytest.mark.parametrize("version", ["draft", "0", "1.0", "v2", "123456789"])
def test_bad_guardrail_version_is_named(version: str) -> None:
    with pytest.raises(
        SettingsError, match="FIREBREAK_GUARDRAIL_VERSION must be a version number or DRAFT"
    ):
        Settings.from_env(
            {
                "FIREBREAK_SCORER": "bedrock",
                "FIREBREAK_GUARDRAIL_ID": "gr0abc123xyz",
                "FIREBREAK_GUARDRAIL_VERSION": version,
            }
        )


def test_the_guardrail_settings_are_ignored_by_the_other_scorers() -> None:
    # The template leaves them unset unless Scorer is bedrock; set, they do no harm.
    s = Settings.from_env({"FIREBREAK_SCORER": "embedded", "FIREBREAK_GUARDRAIL_ID": "abc"})
    assert s.scorer == "embedded"


def test_bad_number_is_named() -> None:
    with pytest.raises(SettingsError, match="FIREBREAK_LINK_TTL_HOURS must be a number"):
        Settings.from_env({"FIREBREAK_LINK_TTL_HOURS": "soon"})

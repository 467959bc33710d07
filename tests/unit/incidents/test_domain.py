def test_a_reported_severity_is_never_lowered_and_a_raise_says_why() -> None:
    from chalicelib.incidents.domain import Severity as S
    from chalicelib.incidents.domain import severity_after_assessment, severity_reason

    why = severity_reason("delete", False, ["sexual"])
    assert why == "the post is flagged sexual"
    assert severity_after_assessment(None, S.HIGH, why) == (S.HIGH, None)
    assert severity_after_assessment(S.HIGH, S.HIGH, why) == (S.HIGH, None)
    raised, said = severity_after_assessment(S.LOW, S.CRITICAL, why)
    assert raised is S.CRITICAL and said is not None
    assert "raised from low (as reported) to critical: the post is flagged sexual" in said
    kept, said = severity_after_assessment(S.CRITICAL, S.LOW, "nothing in the post is flagged")
    assert kept is S.CRITICAL and said is not None and "stays critical as reported" in said
    assert severity_reason("keep", True, []) == "Firebreak suspects a hack"
    assert severity_reason("keep", False, []) == "nothing in the post is flagged"

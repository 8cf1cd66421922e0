from replydesk.classifier import mark_negation, normalise


def test_negation_marks_the_following_tokens_up_to_the_clause_end() -> None:
    assert mark_negation("We will not sign the treaty, but we support it.") == (
        "we will not neg_sign neg_the neg_treaty | but we support it | |"
    )


def test_negation_in_french_german_spanish() -> None:
    assert "neg_signerons" in mark_negation("Nous ne signerons pas.")
    assert "neg_unterzeichnen" in mark_negation("Wir werden nicht unterzeichnen.")
    assert "neg_vamos" in mark_negation("No vamos a firmar.")


def test_normalise_survives_binary_and_huge_input() -> None:
    text = normalise("\x00\x01ABC\ufeff" + "x" * 100_000)
    assert text.startswith("  abc")
    assert len(text) <= 20_000

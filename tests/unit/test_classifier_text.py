from replydesk import classifier
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


def test_closing_text_shows_the_end_of_a_letter_longer_than_the_input_limit() -> None:
    letter = "The background to this question is long. " * 3000 + "I will vote for the ban next week."
    assert len(letter) > classifier.MAX_CHARS
    assert "i will vote for the ban next week" in classifier.closing_text(letter)
    assert len(classifier.closing_text(letter).split()) <= classifier.TAIL_WORDS + 20

"""Language of a reply as an ISO 639-1 code, with py3langid restricted to likely languages."""

from __future__ import annotations

from functools import cache

# Languages campaigns meet in replies; restricting the set makes short texts far more reliable.
LANGUAGES = (
    "en",
    "fr",
    "es",
    "de",
    "it",
    "nl",
    "pt",
    "sv",
    "da",
    "no",
    "fi",
    "pl",
    "cs",
    "ro",
    "el",
    "ru",
    "uk",
    "zh",
    "ja",
    "ar",
    "he",
    "tr",
    "hu",
    "ca",
)
_MIN_LETTERS = 12


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str) -> str | None:
    """The most likely language, or None when the text is too short to tell."""
    sample = text[:4000]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None
    code, _probability = _identifier().classify(sample)
    return str(code)

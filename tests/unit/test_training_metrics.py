"""The numbers the model report and the review flag rest on, checked on inputs with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from replydesk import training


def test_review_threshold_flags_as_many_narrow_decisions_as_the_budget_allows() -> None:
    margins = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.8, 1.0, 1.2, 1.5, 2.0])
    threshold = training.choose_review_threshold(margins, limit=0.3)
    assert threshold == pytest.approx(0.3)  # flags 0.05, 0.1, 0.2: exactly the 30% budget
    assert (margins < threshold).mean() <= 0.3
    assert (margins < 0.4).mean() > 0.3  # the next candidate would overspend


def test_review_threshold_never_exceeds_the_budget_with_ties() -> None:
    margins = np.array([0.1] * 5 + [0.9] * 5)
    threshold = training.choose_review_threshold(margins, limit=0.2)
    assert (margins < threshold).mean() <= 0.2


def test_expected_calibration_error_is_zero_when_confidence_matches_accuracy() -> None:
    confidence = np.array([0.75] * 4 + [0.95] * 20)
    correct = np.array([True, True, True, False] + [True] * 19 + [False])
    ece, table = training.expected_calibration_error(confidence, correct)
    assert ece == pytest.approx(0.0, abs=1e-9)
    assert sum(row["n"] for row in table) == 24


def test_expected_calibration_error_measures_overconfidence() -> None:
    confidence = np.full(10, 0.9)
    correct = np.array([True] * 6 + [False] * 4)
    ece, _ = training.expected_calibration_error(confidence, correct)
    assert ece == pytest.approx(0.3)

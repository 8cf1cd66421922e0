"""Training end to end on a small slice of the corpus: deterministic, versioned, guarded, reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replydesk import classifier, training
from replydesk.classifier import PipelineConfig
from replydesk.train_command import code_files, run_training
from tests.conftest import REPO

pytestmark = pytest.mark.integration
SMALL = (PipelineConfig("word", "logreg", 8.0), PipelineConfig("word+tail", "logreg", 8.0))


def _slice(path: Path, per_label_lang: int) -> list[str]:
    kept: dict[tuple[str, str], int] = {}
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        key = (row["label"], row["lang"])
        if kept.get(key, 0) < per_label_lang:
            kept[key] = kept.get(key, 0) + 1
            lines.append(line)
    return lines


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    source = REPO / "models" / "data"
    (folder / "train.jsonl").write_text("\n".join(_slice(source / "train.jsonl", 15)) + "\n", encoding="utf-8")
    (folder / "heldout.jsonl").write_text("\n".join(_slice(source / "heldout.jsonl", 6)) + "\n", encoding="utf-8")
    return folder


def test_same_data_gives_the_same_version_and_predictions(data: Path) -> None:
    rows = training.read_corpus([data / "train.jsonl"])
    heldout = training.read_corpus([data / "heldout.jsonl"])
    first = training.train(rows, heldout, code_files(), SMALL)
    second = training.train(rows, heldout, code_files(), SMALL)
    assert first.meta == second.meta
    texts = [e.text for e in heldout]
    assert [c.as_dict() for c in first.model.classify_many(texts)] == [
        c.as_dict() for c in second.model.classify_many(texts)]
    newest = max(e.added for e in rows).replace("-", "")
    assert first.meta["version"].startswith(newest + "-") and first.meta["version"] != newest + "-"


def test_train_command_writes_artifact_report_and_refuses_a_worse_model(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(training, "CANDIDATES", SMALL)
    out, report = tmp_path / "artifacts", tmp_path / "REPORT.md"
    lines: list[str] = []
    assert run_training(data, out, report, echo=lines.append) == 0
    loaded = classifier.load(str(out / classifier.ARTIFACT_NAME))
    assert loaded.version == json.loads((out / classifier.META_NAME).read_text())["version"]
    assert "## Held-out" in report.read_text() and "Confusion matrix" in report.read_text()
    metrics = json.loads((out / "metrics.json").read_text())
    assert 0.0 <= metrics["heldout"]["macro_f1"] <= 1.0
    # corrections that teach nonsense make the model worse on the held-out split: not written
    bad = tmp_path / "bad.jsonl"
    heldout = training.read_corpus([data / "heldout.jsonl"])
    bad.write_text("".join(json.dumps({"id": f"bad-{i}", "text": e.text, "label": "no_action", "lang": e.lang})
                           + "\n" for i, e in enumerate(training.read_corpus([data / "train.jsonl"]))
                           if e.label != "no_action"), encoding="utf-8")
    before = (out / classifier.ARTIFACT_NAME).read_bytes()
    lines.clear()
    assert run_training(data, out, report, corrections=bad, echo=lines.append) == 1
    assert any("not written" in line for line in lines)
    assert (out / classifier.ARTIFACT_NAME).read_bytes() == before
    assert (data / "corrections.jsonl").is_file() and heldout

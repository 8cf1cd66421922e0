"""The committed model: safe loading, robust serving, and the replies it must get right."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from replydesk import classifier, training
from replydesk.mime import parse_message
from replydesk.records import Label
from replydesk.settings import default_model_path
from replydesk.train_command import code_files
from tests.conftest import REPO

CONTEXT = REPO.parent / "shared" / "context"


@pytest.fixture(scope="module")
def model() -> classifier.ReplyClassifier:
    return classifier.load(str(default_model_path()))


def test_artifact_metadata_is_complete(model: classifier.ReplyClassifier) -> None:
    meta = json.loads(default_model_path().with_name(classifier.META_NAME).read_text())
    assert meta["version"] == model.version and "-" in model.version
    assert meta["review_margin"] > 0.0
    assert sorted(meta["labels"]) == sorted(label.value for label in Label)


def test_the_committed_artifact_was_trained_from_the_committed_data_and_code(
    model: classifier.ReplyClassifier,
) -> None:
    """The version hashes the training split and the model code: a stale artifact shows up here."""
    data = REPO / "models" / "data"
    paths = [data / "train.jsonl"] + ([data / "corrections.jsonl"] if (data / "corrections.jsonl").is_file() else [])
    heldout = {e.id for e in training.read_corpus([data / "heldout.jsonl"])}
    rows = [e for e in training.read_corpus(paths) if e.id not in heldout]
    assert model.version == training.model_version(rows, code_files())


def test_empty_binary_and_huge_inputs_never_crash(model: classifier.ReplyClassifier) -> None:
    empty, binary, huge = model.classify_many(["", "\x00\x01\x02\xff" * 500, "I will sign. " * 100_000])
    assert (empty.label, empty.confidence) == (Label.NO_ACTION, 1.0)
    assert binary.label is Label.NO_ACTION
    assert huge.label in Label and 0.0 < huge.confidence <= 1.0


def test_prediction_carries_confidence_review_flag_and_evidence(model: classifier.ReplyClassifier) -> None:
    text = "We will not sign the convention; our alliance obligations come first."
    result = model.classify(text)
    assert result.label is Label.SCEPTICAL
    _, margins = model.score([text])
    assert result.needs_review == (margins[0] < model.meta.review_margin)
    assert result.evidence and all(isinstance(e, str) for e in result.evidence)


@pytest.mark.skipif(not CONTEXT.is_dir(), reason="shared/context is not beside this checkout")
def test_the_foreign_secretary_reply_is_committed(model: classifier.ReplyClassifier) -> None:
    text = (CONTEXT / "reply-from-foreign-secretary-2008.txt").read_text(encoding="utf-8", errors="replace")
    assert model.classify(text).label is Label.COMMITTED


SAMPLE_LABELS = json.loads((REPO / "samples" / "labels.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "label"), sorted(SAMPLE_LABELS.items()))
def test_every_sample_is_labelled_as_expected(model: classifier.ReplyClassifier, name: str, label: str) -> None:
    parsed = parse_message((REPO / "samples" / name).read_bytes())
    got = Label.NO_ACTION if parsed.automatic else model.classify(parsed.reply_text).label
    assert got.value == label


def test_an_artifact_with_untrusted_types_is_refused(tmp_path: Path) -> None:
    source = default_model_path()
    tampered = tmp_path / classifier.ARTIFACT_NAME
    shutil.copy(source.with_name(classifier.META_NAME), tmp_path / classifier.META_NAME)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(tampered, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "schema.json":
                data = data.replace(b'"sklearn.pipeline"', b'"os"', 1).replace(b'"Pipeline"', b'"system"', 1)
            copy.writestr(item, data)
    with pytest.raises(classifier.ModelLoadError, match="untrusted types"):
        classifier.load(str(tampered))


def test_a_missing_artifact_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(classifier.ModelLoadError, match="no model at"):
        classifier.load(str(tmp_path / "nothing.skops"))


def test_training_twice_saves_the_same_bytes(tmp_path: Path) -> None:
    """Two separate fits on the same data give byte-identical artifacts (no ids, times or caches leak in)."""
    rows = training.read_corpus([REPO / "models" / "data" / "train.jsonl"])
    picked: list[training.Example] = []
    for label in ("committed", "sceptical", "no_action"):
        picked += [e for e in rows if e.label == label][:20]
    texts, labels = [e.text for e in picked], [e.label for e in picked]
    config = classifier.PipelineConfig("word+char+tail", "linsvc", 4.0)
    meta = {"version": "t-1", "review_margin": 0.5, "labels": sorted(set(labels)), "config": config.name}
    first = classifier.save(classifier.build_pipeline(config).fit(texts, labels), meta, tmp_path / "a")
    second = classifier.save(classifier.build_pipeline(config).fit(texts, labels), meta, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    reloaded = classifier.load(str(first))
    assert [c.label.value for c in reloaded.classify_many(texts[::7])] == [
        c.label.value for c in classifier.ReplyClassifier(
            classifier.build_pipeline(config).fit(texts, labels), classifier.ModelMeta.from_json(meta)
        ).classify_many(texts[::7])
    ]

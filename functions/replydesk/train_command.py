"""`replydesk train` and models/train.py: one code path from labelled data to a saved model."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from replydesk import classifier, training
from replydesk.corrections import corrections_from_export, corrections_from_items, write_corrections

CODE_FILES = ("classifier.py", "training.py")
TRAIN_FILE, HELDOUT_FILE, CORRECTIONS_FILE = "train.jsonl", "heldout.jsonl", "corrections.jsonl"


def code_files() -> list[Path]:
    here = Path(classifier.__file__).parent
    return [here / name for name in CODE_FILES]


def run_training(
    data_dir: Path,
    out_dir: Path,
    report: Path,
    corrections: Path | None = None,
    from_table: str | None = None,
    endpoint_url: str | None = None,
    force: bool = False,
    echo: Callable[[str], None] = print,
) -> int:
    corrections_path = data_dir / CORRECTIONS_FILE
    new_rows: list[training.Example] = []
    if corrections is not None:
        new_rows = corrections_from_export(corrections)
    elif from_table:
        from replydesk.runtime import replies_table
        from replydesk.settings import Settings

        settings = Settings.from_env({"TABLE_NAME": from_table, "AWS_ENDPOINT_URL": endpoint_url or ""})
        new_rows = corrections_from_items(replies_table(settings).all_replies())
    if new_rows:
        added = write_corrections(corrections_path, new_rows)
        echo(f"corrections: {len(new_rows)} read, {added} new appended to {corrections_path}")

    train_paths = [data_dir / TRAIN_FILE] + ([corrections_path] if corrections_path.is_file() else [])
    train_rows = training.read_corpus(train_paths)
    heldout_rows = training.read_corpus([data_dir / HELDOUT_FILE])
    heldout_ids = {e.id for e in heldout_rows}
    train_rows = [e for e in train_rows if e.id not in heldout_ids]
    echo(f"training on {len(train_rows)} replies; held-out {len(heldout_rows)}")
    result = training.train(train_rows, heldout_rows, code_files())
    for row in result.selection:
        echo(f"  cv {row['config']:<28} macro-F1 {row['macro_f1']:.3f}")

    current_path = out_dir / classifier.ARTIFACT_NAME
    current = None
    if current_path.is_file():
        try:
            current = training.evaluate(classifier.load(str(current_path)), heldout_rows)
        except classifier.ModelLoadError as exc:
            echo(f"current model unreadable ({exc}); replacing it")
    new = result.heldout
    echo(f"held-out macro-F1: new {new.macro_f1:.3f}" + (f", current {current.macro_f1:.3f}" if current else ""))
    echo(f"held-out ECE {new.ece:.3f}; review flags {new.review_flagged:.1%}, catches {new.review_caught:.1%}")
    echo("per language: " + ", ".join(f"{k} {v:.3f}" for k, v in new.per_language.items()))
    if not force and not training.is_not_worse(new, current):
        echo("new model is worse than the current one on the held-out split: not written (use --force)")
        return 1
    classifier.load.cache_clear()
    classifier.save(result.model.pipeline, result.meta, out_dir)
    metrics = {
        "version": result.meta["version"],
        "heldout": asdict(new) | {"errors": len(new.errors)},
        "cv": result.cv,
        "selection": result.selection,
    }
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    report.write_text(training.render_report(result), encoding="utf-8")
    echo(f"wrote model {result.meta['version']} to {out_dir} and {report}")
    return 0

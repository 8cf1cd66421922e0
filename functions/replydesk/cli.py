"""`replydesk` command line: thin commands over the library modules."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from replydesk import __version__


class CommandError(Exception):
    """A friendly error: printed as one line, exit status 2."""


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def _parse_options(args: argparse.Namespace):
    from replydesk.mime import ParseOptions

    own = frozenset(a.strip().lower() for a in (args.inbox or "").split(",") if a.strip())
    return ParseOptions(own_addresses=own, keep_signature=getattr(args, "keep_signature", False))


def cmd_parse(args: argparse.Namespace) -> int:
    from replydesk.mime import UnparseableMessage, parse_message

    try:
        parsed = parse_message(_read_input(args.file), _parse_options(args))
    except UnparseableMessage as exc:
        raise CommandError(f"{args.file}: {exc}") from exc
    if args.text:
        sys.stdout.write(parsed.reply_text + "\n")
    else:
        _print_json(parsed.as_dict())
    return 0


def cmd_trim(args: argparse.Namespace) -> int:
    from replydesk.trimming import trim

    text = sys.stdin.buffer.read().decode("utf-8", "replace")
    sys.stdout.write(trim(text, keep_signature=args.keep_signature) + "\n")
    return 0


def _model(args: argparse.Namespace):
    from replydesk import classifier
    from replydesk.settings import default_model_path

    try:
        return classifier.load(str(args.model or default_model_path()))
    except classifier.ModelLoadError as exc:
        raise CommandError(f"{exc}; run `replydesk train` first") from exc


def cmd_classify(args: argparse.Namespace) -> int:
    model = _model(args)
    if args.files:
        from replydesk.mime import UnparseableMessage, parse_message

        options = _parse_options(args)
        for name in args.files:
            try:
                parsed = parse_message(_read_input(name), options)
            except UnparseableMessage as exc:
                _print_json({"file": name, "error": str(exc)})
                continue
            if parsed.automatic:
                from replydesk.records import Classification, Label

                result = Classification(Label.NO_ACTION, 1.0, model.version, False, (parsed.automatic.value,))
            else:
                result = model.classify(parsed.reply_text)
            _print_json(
                {
                    "file": name,
                    "author": parsed.author.as_dict() if parsed.author else None,
                    "automatic": parsed.automatic.value if parsed.automatic else None,
                    **result.as_dict(),
                }
            )
        return 0
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = str(row["text"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CommandError(f"stdin line {number}: expected JSON with 'id' and 'text' ({exc})") from exc
        _print_json({"id": row.get("id"), **model.classify(text).as_dict()})
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from replydesk.train_command import run_training

    return run_training(
        data_dir=Path(args.data),
        out_dir=Path(args.out),
        report=Path(args.report),
        corrections=Path(args.corrections) if args.corrections else None,
        from_table=args.from_table,
        endpoint_url=args.endpoint_url,
        force=args.force,
        echo=print,
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from replydesk.demo import DEFAULT_SAMPLES, run_demo

    samples = Path(args.samples) if args.samples else DEFAULT_SAMPLES
    if not samples.is_dir():
        raise CommandError(f"{samples} is not a folder of .eml files")
    run_demo(samples, Path(args.out))
    return 0


def _settings(args: argparse.Namespace):
    import os

    from replydesk.settings import Settings, SettingsError

    env = dict(os.environ)
    if getattr(args, "table", None):
        env["TABLE_NAME"] = args.table
    if getattr(args, "endpoint_url", None):
        env["AWS_ENDPOINT_URL"] = args.endpoint_url
    try:
        return Settings.from_env(env)
    except SettingsError as exc:
        raise CommandError(f"{exc} (or pass --table)") from exc


def _table(args: argparse.Namespace):
    from replydesk.runtime import client_factory

    settings = _settings(args)
    return client_factory(settings).resource("dynamodb").Table(settings.table_name)


def cmd_export(args: argparse.Namespace) -> int:
    from replydesk.aws.replies_table import RepliesTable
    from replydesk.aws.targets_table import TargetsStore
    from replydesk.export_service import ExportFilters, export

    table = _table(args)
    filters = ExportFilters(args.campaign, args.label, args.needs_review, args.since, args.until, args.language)
    if args.output == "-":
        count = export(RepliesTable(table), TargetsStore(table), filters, args.format, sys.stdout.buffer)
    else:
        with Path(args.output).open("wb") as out:
            count = export(RepliesTable(table), TargetsStore(table), filters, args.format, out)
    print(f"{count} replies exported" + (f" to {args.output}" if args.output != "-" else ""), file=sys.stderr)
    return 0


def cmd_campaigns_sync(args: argparse.Namespace) -> int:
    from replydesk.aws.campaigns_table import CampaignsStore
    from replydesk.campaigns import CampaignFileError, load_campaigns

    try:
        campaigns = load_campaigns(Path(args.file))
    except (OSError, CampaignFileError) as exc:
        raise CommandError(str(exc)) from exc
    changes = CampaignsStore(_table(args)).sync(campaigns)
    print(f"{len(campaigns)} campaigns: " + ", ".join(f"{k} {', '.join(v) or '-'}" for k, v in changes.items()))
    return 0


def cmd_targets_import(args: argparse.Namespace) -> int:
    from replydesk.aws.targets_table import TargetsStore
    from replydesk.targets import read_targets_csv

    report = read_targets_csv(_read_input(args.file))
    for problem in report.errors:
        print(f"{args.file}: {problem}", file=sys.stderr)
    added, updated = TargetsStore(_table(args)).import_targets(args.campaign, report.targets)
    print(f"{args.campaign}: {added} targets added, {updated} updated, {len(report.errors)} rows reported")
    return 0 if report.targets or not report.errors else 1


def cmd_review(args: argparse.Namespace) -> int:
    from replydesk.aws.replies_table import RepliesTable, ReplyNotFound
    from replydesk.corrections import read_export_rows
    from replydesk.exports import parse_label
    from replydesk.review import apply_rows

    table = RepliesTable(_table(args))
    if args.import_file:
        result = apply_rows(table, read_export_rows(Path(args.import_file)), args.by or "spreadsheet import",
                            ReplyNotFound)
        for problem in result.problems:
            print(f"{args.import_file}: {problem}", file=sys.stderr)
        print(f"{len(result.changed)} replies corrected, {result.unchanged} unchanged, "
              f"{len(result.problems)} rows reported")
        return 0
    if not args.id or not args.label or not args.by:
        raise CommandError("give ID --label LABEL --by NAME, or --import FILE")
    label = parse_label(args.label)
    if label is None:
        raise CommandError(f"unknown label {args.label!r}: use committed, sceptical or no_action")
    try:
        item = table.set_label(args.id, label.value, args.by)
    except ReplyNotFound as exc:
        raise CommandError(f"no reply with id {args.id}") from exc
    print(f"{args.id}: {item.get('model_label', '?')} (model) -> {item['label']} by {item['reviewed_by']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replydesk",
        description="Reads replies to advocacy campaigns and labels each one committed, sceptical or no action.",
    )
    parser.add_argument("--version", action="version", version=f"replydesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=func)
        return command

    parse = add("parse", cmd_parse, "Parse one .eml: author, automatic flag, reply text, attachments, as JSON.")
    parse.add_argument("file", help="an .eml file, or - for stdin")
    parse.add_argument("--text", action="store_true", help="print only the reply text")
    parse.add_argument("--inbox", help="comma-separated campaign inbox addresses (forwards from them are unwrapped)")
    parse.add_argument("--keep-signature", action="store_true", help="cut only quoted and forwarded mail")

    trim = add("trim", cmd_trim, "Read a plain-text reply body on stdin; print only what the person wrote.")
    trim.add_argument("--keep-signature", action="store_true", help="cut only quoted and forwarded mail")

    classify = add("classify", cmd_classify, "Label replies: JSON lines {id,text} on stdin, or .eml files.")
    classify.add_argument("files", nargs="*", help=".eml files (parse and classify each)")
    classify.add_argument("--model", help="path to a .skops artifact (default: the trained model)")
    classify.add_argument("--inbox", help="comma-separated campaign inbox addresses")

    train = add("train", cmd_train, "Train the model from models/data, evaluate on the held-out split, save.")
    train.add_argument("--data", default="models/data", help="folder with train.jsonl and heldout.jsonl")
    train.add_argument("--out", default="models/artifacts", help="where to write the artifact")
    train.add_argument("--report", default="models/REPORT.md", help="where to write the report")
    train.add_argument("--corrections", help="CSV/XLSX export with corrected labels, or corrections JSON lines")
    train.add_argument("--from-table", help="learn from staff corrections in this DynamoDB table")
    train.add_argument("--endpoint-url", help="AWS endpoint (e.g. a local moto server)")
    train.add_argument("--force", action="store_true", help="write the model even if it scores worse")

    demo = add("demo", cmd_demo, "Run samples/ through the real intake handler on an in-process moto server.")
    demo.add_argument("--samples", help="folder of .eml files (default: samples/)")
    demo.add_argument("--out", default="out", help="where to write the export files (default: out/)")

    export = add("export", cmd_export, "Export replies from the table as CSV or XLSX.")
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("--campaign", help="only this campaign (XLSX then adds its Targets sheet)")
    export.add_argument("--label", choices=("committed", "sceptical", "no_action"), help="only this label")
    export.add_argument("--needs-review", action="store_true", help="only replies flagged for review")
    export.add_argument("--since", help="received on or after this date (YYYY-MM-DD)")
    export.add_argument("--until", help="received on or before this date (YYYY-MM-DD)")
    export.add_argument("--language", help="only replies in this language (ISO 639-1)")
    export.add_argument("--output", "-o", default="-", help="file to write (default: stdout)")
    _aws_options(export)

    campaigns = sub.add_parser("campaigns", help="Manage campaign definitions.", description="Manage campaigns.")
    campaigns_sub = campaigns.add_subparsers(dest="campaigns_command", required=True, metavar="COMMAND")
    sync = campaigns_sub.add_parser("sync", help="Make the table's campaigns equal to a YAML/JSON file.",
                                    description="Make the table's campaigns equal to a YAML/JSON file.")
    sync.add_argument("file", help="campaigns.yaml or .json")
    sync.set_defaults(func=cmd_campaigns_sync)
    _aws_options(sync)

    targets = sub.add_parser("targets", help="Manage a campaign's target list.", description="Manage targets.")
    targets_sub = targets.add_subparsers(dest="targets_command", required=True, metavar="COMMAND")
    imp = targets_sub.add_parser("import", help="Load or update a campaign's targets from a CSV file.",
                                 description="Load or update a campaign's targets from a CSV (name, email, ...).")
    imp.add_argument("file", help="CSV with name and email columns (and any others), or - for stdin")
    imp.add_argument("--campaign", required=True, help="campaign id")
    imp.set_defaults(func=cmd_targets_import)
    _aws_options(imp)

    review = add("review", cmd_review, "Correct a reply's label, or import corrections from an edited export.")
    review.add_argument("id", nargs="?", help="the reply id (the export's id column)")
    review.add_argument("--label", help="committed, sceptical or no_action")
    review.add_argument("--by", help="who made the correction")
    review.add_argument("--import", dest="import_file", help="an edited CSV/XLSX export; changed rows are applied")
    _aws_options(review)
    return parser


def _aws_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--table", help="table name (default: $TABLE_NAME)")
    command.add_argument("--endpoint-url", help="AWS endpoint, e.g. a local moto server (default: real AWS)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CommandError as exc:
        print(f"replydesk: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0

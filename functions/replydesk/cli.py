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
    return ParseOptions(own_addresses=own)


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

    sys.stdout.write(trim(sys.stdin.buffer.read().decode("utf-8", "replace")) + "\n")
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


def cmd_export(args: argparse.Namespace) -> int:
    from replydesk import exports
    from replydesk.runtime import replies_table
    from replydesk.settings import Settings, SettingsError

    env = dict(__import__("os").environ)
    if args.table:
        env["TABLE_NAME"] = args.table
    if args.endpoint_url:
        env["AWS_ENDPOINT_URL"] = args.endpoint_url
    try:
        settings = Settings.from_env(env)
    except SettingsError as exc:
        raise CommandError(f"{exc} (or pass --table)") from exc
    table = replies_table(settings)
    items = table.by_campaign(args.campaign) if args.campaign else table.all_replies()
    rows = (exports.item_to_row(i) for i in items if not args.label or i.get("label") == args.label)
    write = exports.write_csv if args.format == "csv" else exports.write_xlsx
    if args.output == "-":
        count = write(rows, sys.stdout.buffer)
    else:
        with Path(args.output).open("wb") as out:
            count = write(rows, out)
    print(f"{count} replies exported", file=sys.stderr)
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

    add("trim", cmd_trim, "Read a plain-text reply body on stdin; print only what the person wrote.")

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
    export.add_argument("--campaign", help="only this campaign")
    export.add_argument("--label", choices=("committed", "sceptical", "no_action"), help="only this label")
    export.add_argument("--table", help="table name (default: $TABLE_NAME)")
    export.add_argument("--endpoint-url", help="AWS endpoint (default: real AWS)")
    export.add_argument("--output", "-o", default="-", help="file to write (default: stdout)")
    return parser


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

"""Export memory stays flat as a campaign grows: peak memory of CSV and XLSX exports at 10k..100k replies.

    python benchmarks/bench_export.py [--sizes 10000,50000,100000] [--source paged|moto]

``--source paged`` (the default) exports through replydesk's real table adapter (RepliesTable: the
by_campaign query, page by page via LastEvaluatedKey) over a stand-in for the boto3 Table that
serves 500-item pages generated on demand, as DynamoDB does, so only replydesk's own memory is
measured. ``moto`` writes the replies into DynamoDB on moto first (mock_aws, the table from
template.yaml); moto re-scans and copies its whole table for every page, so it is only usable for
small sizes and its own allocations dominate the figure. Peak memory is measured with tracemalloc
around the export call only; the file goes to a temporary file, as in the export Lambda. The process's
peak resident size (which also counts memory allocated outside Python) is printed after each run: it
only ever grows, so flat figures across sizes mean no run needed more than the first.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
import tracemalloc
from decimal import Decimal
from typing import Any

from replydesk.export_service import ExportFilters, export

LABELS = ("committed", "sceptical", "no_action")
TEXT = ("Thank you for your letter about the Convention. I will table a written question to the Minister "
        "and raise the matter with the foreign affairs committee when it next meets. ") * 3


def make_item(n: int, rng: random.Random) -> dict[str, Any]:
    label = rng.choice(LABELS)
    received = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00Z"
    return {
        "pk": f"REPLY#m{n:07d}", "sk": "REPLY", "gsi1pk": "CAMPAIGN#ccm", "gsi1sk": f"{received}#m{n:07d}",
        "gsi2pk": f"CAMPAIGN#ccm#LABEL#{label}", "gsi2sk": received, "campaign": "ccm",
        "ses_message_id": f"m{n:07d}", "received": received, "author_name": f"Member {n}",
        "author_email": f"member{n % 5000}@parliament.example", "subject": "Re: Cluster munitions",
        "reply_text": TEXT, "language": "en", "label": label, "model_label": label,
        "confidence": Decimal(str(round(rng.random(), 4))), "needs_review": rng.random() < 0.15,
        "evidence": ["table a written question", "raise"], "status": "classified",
        "target_email": f"member{n % 5000}@parliament.example", "target_match": "address",
        "model_version": "bench", "raw_location": f"s3://bucket/raw/m{n:07d}",
    }


def targets(count: int = 5000) -> list[dict[str, Any]]:
    return [{"name": f"Member {n}", "email": f"member{n}@parliament.example", "fields": {"party": "P"}}
            for n in range(count)]


class PagedTable:
    """What RepliesTable needs of a boto3 Table: ``query`` returning pages and a LastEvaluatedKey."""

    page_size = 500

    def __init__(self, count: int) -> None:
        self.count = count

    def query(self, **kwargs: Any) -> dict[str, Any]:
        start = int(kwargs.get("ExclusiveStartKey", {}).get("offset", 0))
        end = min(self.count, start + min(self.page_size, kwargs.get("Limit", self.page_size)))
        rng = random.Random(start)
        page: dict[str, Any] = {"Items": [make_item(n, rng) for n in range(start, end)]}
        if end < self.count:
            page["LastEvaluatedKey"] = {"offset": end}
        return page


class StaticTargets:
    def items(self, campaign: str) -> list[dict[str, Any]]:
        return targets()


def measure(source: Any, fmt: str) -> tuple[int, float, float]:
    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        started = time.perf_counter()
        rows = export(source, StaticTargets(), ExportFilters("ccm"), fmt, out)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return rows, peak / 1024 / 1024, elapsed


def run_moto(sizes: list[int], fmts: list[str]) -> None:
    from moto import mock_aws

    from replydesk.aws.clients import ClientFactory
    from replydesk.aws.replies_table import RepliesTable
    from replydesk.local import REGION, TemplateResolver, load_template, provision

    with mock_aws():
        factory = ClientFactory(region=REGION)
        resources = provision(factory, TemplateResolver(load_template(), "bench"))
        table = factory.resource("dynamodb").Table(resources.table)
        rng = random.Random(7)
        written = 0
        for size in sorted(sizes):
            with table.batch_writer() as batch:
                for n in range(written, size):
                    batch.put_item(Item=make_item(n, rng))
            written = size
            for fmt in fmts:
                rows, peak, elapsed = measure(RepliesTable(table), fmt)
                print(f"moto       {fmt:<5} {rows:>8} replies  peak {peak:7.1f} MiB  {elapsed:7.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--source", choices=("paged", "moto"), default="paged")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    fmts = args.formats.split(",")
    print("source     format  replies          peak traced memory  time")
    print(f"(process max RSS before any export: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")
    if args.source == "moto":
        run_moto(sizes, fmts)
        return
    from replydesk.aws.replies_table import RepliesTable

    for size in sizes:
        for fmt in fmts:
            rows, peak, elapsed = measure(RepliesTable(PagedTable(size)), fmt)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"paged      {fmt:<5} {rows:>8} replies  peak {peak:7.1f} MiB  {elapsed:7.1f} s  "
                  f"process max RSS {rss:6.0f} MiB")


if __name__ == "__main__":
    main()

"""Domain modules stay pure: no boto3, botocore or Powertools outside aws/, handlers/ and the edges."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "functions" / "replydesk"
EDGES = {"aws", "handlers", "runtime.py", "local.py", "demo.py", "cli.py", "train_command.py", "__main__.py"}
FORBIDDEN = ("boto3", "botocore", "aws_lambda_powertools", "moto")


def _domain_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] not in EDGES)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_there_are_domain_modules_to_check() -> None:
    assert {"mime.py", "trimming.py", "classifier.py", "exports.py"} <= {p.name for p in _domain_modules()}


@pytest.mark.parametrize("path", _domain_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_domain_module_imports_no_aws_code(path: Path) -> None:
    assert not _imports(path) & set(FORBIDDEN)


def test_package_import_is_cheap() -> None:
    import importlib
    import sys

    for name in [n for n in sys.modules if n == "replydesk"]:
        del sys.modules[name]
    module = importlib.import_module("replydesk")
    assert module.__version__

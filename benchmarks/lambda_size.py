"""Measure the intake function's unzipped size as `sam build` would produce it, plus the model layer.

Installs functions/requirements.txt as cp312 manylinux x86_64 wheels with `pip --target` into a
temporary folder, copies the replydesk package beside them, and prints the sizes against
Lambda's 250 MB unzipped limit (function and layers together). Needs network access to PyPI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 250


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1024 / 1024


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "function"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--target",
                str(target),
                "--platform",
                "manylinux2014_x86_64",
                "--platform",
                "manylinux_2_17_x86_64",
                "--platform",
                "manylinux_2_28_x86_64",
                "--implementation",
                "cp",
                "--python-version",
                "3.12",
                "--only-binary=:all:",
                "-r",
                str(ROOT / "functions" / "requirements.txt"),
            ],
            check=True,
        )
        shutil.copytree(
            ROOT / "functions" / "replydesk", target / "replydesk", ignore=shutil.ignore_patterns("__pycache__")
        )
        function = size_mb(target)
        layer = size_mb(ROOT / "models" / "artifacts")
        biggest = sorted(((size_mb(p), p.name) for p in target.iterdir() if p.is_dir()), reverse=True)[:6]
    print(f"function package: {function:6.1f} MB unzipped")
    for mb, name in biggest:
        print(f"  {name:<24}{mb:6.1f} MB")
    print(f"model layer:      {layer:6.1f} MB")
    total = function + layer
    print(f"total:            {total:6.1f} MB of {LIMIT_MB} MB ({'OK' if total < LIMIT_MB else 'OVER'})")
    return 0 if total < LIMIT_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())

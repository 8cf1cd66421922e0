"""Build the functions exactly as `sam build` does and measure them against Lambda's 250 MB limit.

Runs functions/Makefile's build-IntakeFunction target (BuildMethod: makefile in template.yaml) into a
temporary folder, prints the unzipped size of the function plus the model layer, and, where a
Python 3.12 is on PATH, smoke-tests the built package with it: the intake handler imports and the
committed model classifies a reply, with boto3 beside it as the Lambda runtime provides it.
Needs network access to PyPI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 250
SMOKE = """
import replydesk.handlers.intake
from replydesk import classifier
model = classifier.load({model!r})
result = model.classify("I will table a written question to the Minister and vote for the ban.")
print(f"smoke test on Python 3.12: handler imports; model {{model.version}} says {{result.label.value}}")
"""


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1024 / 1024


def find_python312() -> str | None:
    """A working Python 3.12: $PYTHON if it is one, else python3.12 on PATH (a pyenv shim may not run)."""
    for candidate in (os.environ.get("PYTHON"), shutil.which("python3.12")):
        if candidate and subprocess.run([candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 12)"],
                                        capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def main() -> int:
    python312 = find_python312()
    python = python312 or os.environ.get("PYTHON") or sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "function"
        built.mkdir()
        subprocess.run(["make", "--no-print-directory", "-C", str(ROOT / "functions"), "build-IntakeFunction",
                        f"ARTIFACTS_DIR={built}", f"PYTHON={python}"], check=True, stdout=subprocess.DEVNULL)
        function = size_mb(built)
        model = size_mb(ROOT / "models" / "artifacts")
        biggest = sorted(((size_mb(p), p.name) for p in built.iterdir() if p.is_dir()), reverse=True)[:6]
        print(f"function package: {function:6.1f} MB unzipped (built by {python})")
        for mb, name in biggest:
            print(f"  {name:<24}{mb:6.1f} MB")
        print(f"model layer:      {model:6.1f} MB")
        total = function + model
        print(f"total:            {total:6.1f} MB of {LIMIT_MB} MB ({'OK' if total < LIMIT_MB else 'OVER'})")
        if python312:
            runtime = Path(tmp) / "runtime"
            subprocess.run([python312, "-m", "pip", "install", "--quiet", "--target", str(runtime), "boto3"],
                           check=True)
            env = {**os.environ, "PYTHONPATH": f"{built}{os.pathsep}{runtime}", "POWERTOOLS_TRACE_DISABLED": "true",
                   "AWS_DEFAULT_REGION": "eu-west-1"}
            code = SMOKE.format(model=str(ROOT / "models" / "artifacts" / "replydesk-model.skops"))
            subprocess.run([python312, "-c", code], check=True, env=env, cwd=tmp)
        else:
            print("no python3.12 on PATH: built package not smoke-tested")
    return 0 if total < LIMIT_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())

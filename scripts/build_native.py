"""Compile the metrics extractor with mypyc into the build `casekit.metrics._native` loads.

    .venv/bin/python scripts/build_native.py           # build when the sources changed (setup.sh runs this)
    .venv/bin/python scripts/build_native.py --check   # say whether the build matches the sources

The build lands in `<sys.prefix>/casekit-native/<digest of the sources>/`, never in the source tree, so
an edited module is never shadowed by an old build: the package finds no build for the new digest and
uses the pure-Python modules until this runs again. Without a C compiler (or mypyc) the build is
skipped with one line, and casekit runs as pure Python with the same results.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from casekit.metrics import _native  # noqa: E402


def build(target: Path) -> None:
    """Compile in a scratch copy of the package (mypyc writes its objects beside the sources)."""
    with tempfile.TemporaryDirectory(prefix="casekit-mypyc-") as scratch:
        work = Path(scratch)
        shutil.copytree(
            REPO / "src" / "casekit", work / "casekit", ignore=shutil.ignore_patterns("__pycache__", "*.so")
        )
        sources = [f"casekit/metrics/{name}.py" for name in _native.COMPILED]
        result = subprocess.run(
            [sys.executable, "-m", "mypyc", "--ignore-missing-imports", *sources],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise RuntimeError("mypyc failed: " + " | ".join(tail))
        staging = target.with_name(target.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "casekit" / "metrics").mkdir(parents=True)
        for shared in work.glob(f"*__mypyc{_native.SUFFIX}"):
            shutil.copy2(shared, staging / shared.name)
        for name in _native.COMPILED:
            built = work / "casekit" / "metrics" / f"{name}{_native.SUFFIX}"
            shutil.copy2(built, staging / "casekit" / "metrics" / built.name)
        staging.rename(target)  # whole or not at all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check", action="store_true", help="only say whether a build for these sources exists"
    )
    args = parser.parse_args(argv)
    target = _native.build_dir()
    if target.is_dir():
        print(f"casekit: compiled extractor up to date ({target.name})")
        return 0
    if args.check:
        print("casekit: no compiled extractor for these sources (pure Python is used)")
        return 1
    for old in target.parent.glob("*") if target.parent.is_dir() else ():
        shutil.rmtree(old, ignore_errors=True)  # builds of earlier sources are never loaded again
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        build(target)
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        print(f"casekit: compiled extractor not built, pure Python is used ({exc})", file=sys.stderr)
        return 0
    print(f"casekit: compiled extractor built ({target.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Creates .venv and installs casekit with everything it needs, offline-capable afterwards.
# torch==2.13.0 goes first: it is a CPU build pip finds on this machine's disk; without it,
# sentence-transformers would pull a CUDA build of several GB. Safe to run again (fast when done).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# pip warns about every configured index location that lacks a package; those lines say nothing.
pip_install() {
  .venv/bin/python -m pip install --quiet "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}
stamp=.venv/.casekit-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  pip_install --upgrade pip
  pip_install "torch==2.13.0"
  pip_install -e ".[dev,bench]"
  touch "$stamp"
else
  # the editable install may be missing on a reused venv (e.g. a moved checkout)
  .venv/bin/python -c "import casekit" 2>/dev/null || pip_install --no-deps -e .
fi
# The metrics extractor compiled with mypyc (1.25-1.3x faster on a real case book); skipped with a note where no C compiler is.
# A no-op while the build matches the sources; see src/casekit/metrics/_native.py.
.venv/bin/python scripts/build_native.py
# Chromium, its driver and a Hangul font for the browser test of the judge notebook (tests/browser), from
# Debian when missing and this user may install them; otherwise that test is skipped and says why.
bash scripts/browser_deps.sh || echo "note: tests/browser will be skipped (see the line above)" >&2

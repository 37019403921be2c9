# The README's two commands: `make demo` and `make test`. Both set everything up first.
.PHONY: setup demo test lint bench

setup:
	bash scripts/setup.sh

demo: setup
	HF_HUB_OFFLINE=1 .venv/bin/casekit run --workspace data --out reports

lint: setup
	.venv/bin/ruff format --check src tests benchmarks scripts
	.venv/bin/ruff check src tests benchmarks scripts
	.venv/bin/mypy src

test: lint
	CASEKIT_PURE=1 .venv/bin/python -m pytest -q tests/metrics  # the extractor as pure Python too
	HF_HUB_OFFLINE=1 .venv/bin/python -m pytest -q

bench: setup
	HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/run_all.py

# Thin wrappers over scripts/; the README names `make demo` and `make test`.
.PHONY: demo test lint format bench load setup mutate layers

demo:
	scripts/demo.sh

test:
	scripts/test.sh

setup:
	scripts/setup.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

bench:
	scripts/bench.sh

load:
	scripts/load.sh

mutate:
	scripts/mutate.sh

layers:
	python3 scripts/layers.py

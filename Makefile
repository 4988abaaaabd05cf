PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test bench serve setup lint format

# Development is explicit: DEBUG=1 for these targets only. Anything else (make serve, manage.py run by
# hand, gunicorn) is production and needs the operator's variables (README "Configuration").
run test bench: export DEBUG = 1

$(PY):
	command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference tongling_2020 --year 2020
	$(PY) manage.py load_demo
	$(PY) manage.py create_demo_users
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest

# make bench [SCALE=province] [REPEAT=5]: on a throwaway SQLite file, then on PostgreSQL when
# DATABASE_URL is set (the benchmark rolls everything back; the databases are left as they were).
BENCH_DB := $(CURDIR)/bench.sqlite3
BENCH_ARGS := $(if $(SCALE),--scale $(SCALE)) $(if $(REPEAT),--repeat $(REPEAT))

bench: setup
	$(PY) manage.py collectstatic --noinput -v0  # pages are timed with DEBUG off: hashed static names
	rm -f $(BENCH_DB)
	DATABASE_URL=sqlite:///$(BENCH_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(BENCH_DB) $(PY) manage.py bench $(BENCH_ARGS)
	rm -f $(BENCH_DB)
	@if [ -n "$$DATABASE_URL" ]; then $(PY) manage.py migrate --noinput -v0 && $(PY) manage.py bench $(BENCH_ARGS); fi

# Production as systemd runs it (deploy/minsheng.service), with the environment of the caller:
# SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CSRF_TRUSTED_ORIGINS (DEBUG unset), behind the TLS proxy.
serve: setup
	$(PY) manage.py collectstatic --noinput
	$(PY) -m gunicorn -c deploy/gunicorn.conf.py minsheng.wsgi:application --bind 127.0.0.1:$(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

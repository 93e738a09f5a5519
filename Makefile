# The two commands of the quick start are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint format check messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when requirements.txt changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# A random password for the demo users, made once and kept out of git.
.demo-password: | $(VENV)/.installed
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(12))" > $@

run: install .demo-password
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_demo --password "$$(cat .demo-password)"
	@echo "Serving on http://$(HOST)/ (Ctrl-C stops)."
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Refresh the Swedish catalogue after changing user-visible strings.
messages: install
	$(BIN)/python manage.py makemessages -l sv --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

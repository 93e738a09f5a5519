# The two commands of the quick start are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run serve test install lint format check messages clean

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
	@echo "Serving on http://$(HOST)/ with a background worker (Ctrl-C stops both)."
	ops/with_worker.sh $(BIN)/python manage.py runserver $(HOST)

# A secret key for `make serve`, made once and kept out of git.
.secret-key: | $(VENV)/.installed
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Production-like: the production settings, static files collected and
# compressed for whitenoise, gunicorn on loopback. Plain HTTP on loopback, so
# the HTTPS redirect is off; everything else is as in production, with
# gunicorn.conf.py (workers, timeout, warm-up). The same database as
# `make run` (SQLite) unless DATABASE_URL is set.
SERVE_ENV = DJANGO_SETTINGS_MODULE=huddinge_safety.settings.production \
	SECRET_KEY="$$(cat .secret-key)" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	CSRF_TRUSTED_ORIGINS="$${CSRF_TRUSTED_ORIGINS:-http://$(HOST),http://localhost:$(lastword $(subst :, ,$(HOST)))}" \
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}" \
	MEDIA_ROOT="$${MEDIA_ROOT:-$(CURDIR)/media}" \
	SECURE_SSL_REDIRECT=false

serve: install .demo-password .secret-key
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py load_demo --password "$$(cat .demo-password)"
	@echo "Serving with gunicorn on http://$(HOST)/ and a background worker (Ctrl-C stops both)."
	$(SERVE_ENV) ops/with_worker.sh $(BIN)/gunicorn huddinge_safety.wsgi:application --bind $(HOST)

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

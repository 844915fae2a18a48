# hardened-eks: `make test` sets everything up and runs every check; `make plan STACK=dev` shows the plan offline.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STACK ?= dev
PYTHON ?= python3
# Debian packages the tests need: packer validates the templates, iptables checks firewall rule sets,
# gawk runs the rendered hardening scripts (the target nodes have it; Debian images may only have mawk).
DEBIAN_PACKAGES := packer iptables gawk
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help test lint unit plan up destroy preview venv deps clean

help:
	@echo "make test              virtualenv, installs, linters, all tests"
	@echo "make plan STACK=dev    offline plan (Pulumi mocks, no AWS, no Pulumi CLI)"
	@echo "make up STACK=dev      pulumi up against AWS (local state unless PULUMI_BACKEND_URL is set)"
	@echo "make destroy STACK=dev pulumi destroy"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: venv
	$(VENV)/bin/ruff check .
	git ls-files -z '*.sh' ':!:tests/**/fixtures/**' | xargs -0 -r $(VENV)/bin/shellcheck --severity=style

unit: venv deps
	$(VENV)/bin/pytest -n 2 --dist loadfile

test: lint unit

plan: venv
	@$(PY) -m hardened_eks.plan --stack $(STACK)

preview up destroy: venv
	@$(PY) -m hardened_eks.preflight $@ --stack $(STACK)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build

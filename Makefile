# hardened-eks: `make test` sets everything up and runs every check; `make plan STACK=dev` shows the plan offline.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STACK ?= dev
PYTHON ?= python3
# Debian packages some tests need: packer validates the templates, iptables checks firewall rule sets,
# gawk runs the rendered hardening scripts (the target nodes have it; Debian images may only have mawk).
# openssh-server: its sshd -T is the reference the sshd audit is compared with.
# Without apt-get (macOS, Fedora) `deps` names the checks that cannot run and the tests skip them.
DEBIAN_PACKAGES := packer iptables gawk openssh-server
CHECKS_packer := the Packer template validation (tests/test_ami_templates.py)
CHECKS_iptables := loading the Bottlerocket firewall rule sets into iptables-restore (tests/bottlerocket/test_firewall.py)
CHECKS_gawk := running the rendered hardening scripts on fixture roots (tests/hardening, the build gate's audit)
CHECKS_openssh-server := comparing the sshd audit with real sshd -T (tests/hardening/test_sshd_semantics.py)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# `make up YES=1` (or CI set) deploys without asking; on a terminal `make up` shows the preview and asks first.
YES ?=
FOR ?= karpenter

.PHONY: help test lint unit plan up destroy preview consume docs venv deps clean

help:
	@echo "make test                  virtualenv, installs, linters, all tests (skips what a missing tool cannot check)"
	@echo "make plan STACK=dev        offline plan (Pulumi mocks, no AWS, no Pulumi CLI)"
	@echo "make preview STACK=dev     pulumi preview against AWS"
	@echo "make up STACK=dev          pulumi up: shows the preview and asks on a terminal; YES=1 or CI skips asking"
	@echo "make destroy STACK=dev     pulumi destroy (asks like up)"
	@echo "make consume STACK=dev FOR=karpenter|launch-template|terraform  material to use the AMIs elsewhere"
	@echo "make docs                  regenerate the generated tables of README.md and hardening/README.md"
	@echo "make lint                  ruff and shellcheck"
	@echo "make unit                  the tests only"
	@echo "make venv                  the virtualenv from requirements-dev.txt"
	@echo "make deps                  Debian packages some tests need (packer, iptables, gawk, openssh-server), where apt-get exists"
	@echo "make clean                 remove the virtualenv, caches and build/"
	@echo "make help                  this list"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  if command -v dpkg >/dev/null 2>&1; then dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	  else case $$p in openssh-server) cmd=sshd;; *) cmd=$$p;; esac; \
	    command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$p"; fi; \
	done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian packages:$$missing"; \
	  if $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	  then missing=""; else echo "deps: apt-get could not install$$missing"; fi; \
	elif [ -n "$$missing" ]; then echo "deps: no apt-get here (not Debian or Ubuntu): nothing installed"; fi; \
	for p in $$missing; do case $$p in \
	  packer) echo "deps: packer missing: skipping $(CHECKS_packer); install Packer >= 1.10 to run it";; \
	  iptables) echo "deps: iptables missing: skipping $(CHECKS_iptables); install iptables to run it";; \
	  gawk) echo "deps: gawk missing: skipping $(CHECKS_gawk); install GNU awk to run them";; \
	  openssh-server) echo "deps: openssh-server missing: skipping $(CHECKS_openssh-server); install OpenSSH's sshd to run it";; \
	esac; done

lint: venv
	$(VENV)/bin/ruff check .
	git ls-files -z '*.sh' ':!:tests/**/fixtures/**' | xargs -0 -r -n 200 -P 2 $(VENV)/bin/shellcheck --severity=style

# The tests write thousands of small trees (a fixture root per hardening scenario): they run with TMPDIR on a tmpfs
# (/dev/shm, when it is a writable, exec-capable tmpfs with 3 GB free), removed afterwards; TEST_TMPDIR=DIR picks
# another (kept). --dist worksteal: idle workers take tests from busy ones (loadfile left the 1,600 scenarios of one
# file on one worker).
TEST_TMPDIR ?=
unit: venv deps
	@tmp="$(TEST_TMPDIR)"; own=""; \
	if [ -z "$$tmp" ] && [ "$$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] \
	  && [ "$$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $$4 }')" -ge 3000000 ] 2>/dev/null \
	  && own=$$(mktemp -d /dev/shm/hardened-eks-tests.XXXXXX 2>/dev/null); then \
	  printf '#!/bin/sh\n' > "$$own/exec-probe" && chmod +x "$$own/exec-probe" && "$$own/exec-probe" && tmp=$$own; \
	fi; \
	if [ -n "$$tmp" ]; then mkdir -p "$$tmp" && export TMPDIR="$$tmp" && echo "unit: TMPDIR=$$tmp"; fi; \
	trap '[ -z "$$own" ] || rm -rf "$$own"' EXIT; trap 'exit 130' INT TERM; \
	$(VENV)/bin/pytest -n 2 --dist worksteal

test: lint unit

plan: venv
	@$(PY) -m hardened_eks.plan --stack $(STACK)

preview up destroy: venv
	@$(PY) -m hardened_eks.preflight $@ --stack $(STACK) $(if $(filter 1 yes true,$(YES)),--yes)

consume: venv
	@$(PY) -m hardened_eks consume --stack $(STACK) --for $(FOR)

docs: venv
	@$(PY) -m hardened_eks.docs
	@$(PY) -m hardening.docs

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build

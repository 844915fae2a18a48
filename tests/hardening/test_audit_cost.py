"""The audit reads each file once per run (lib/common.sh caches): counted by the programs it starts, not timed.

Every external program the rendered script runs goes through a wrapper on PATH that logs its name; the level-2
audit of the AL2023 fixture started 819 programs before the per-run caches (444 gawk, 88 readlink) and must stay
well below that. The verdicts must be those of a run without caches (apply --dry-run of an unchanged root
reports the same failures the audit does, from the same checks).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from hardening.render import render
from tests.hardening.harness import BASH, make_root

PROGRAMS = ("gawk", "readlink", "stat", "find", "sort", "cut", "cat", "grep", "realpath", "sed", "mktemp", "rm")


def _counting_path(tmp: Path) -> tuple[str, Path]:
    bindir, log = tmp / "bin", tmp / "programs.log"
    bindir.mkdir()
    for name in PROGRAMS:
        real = shutil.which(name)
        assert real, name
        wrapper = bindir / name
        wrapper.write_text(f'#!/bin/sh\necho {name} >>"{log}"\nexec {real} "$@"\n')
        wrapper.chmod(0o755)
    return f"{bindir}:/usr/sbin:/usr/bin:/sbin:/bin", log


def test_level2_audit_starts_few_programs_and_keeps_its_verdicts(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    script = tmp_path / "cis-harden.sh"
    script.write_text(render("al2023", 2, (), "ipv4", allow_unimplemented=True))
    path, log = _counting_path(tmp_path)
    env = {"PATH": path, "LANG": "C", "TMPDIR": os.environ.get("TMPDIR", "/tmp")}
    proc = subprocess.run([BASH, str(script), "audit", "--root", str(root), "--json"], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    counts = Counter(log.read_text().split())
    assert sum(counts.values()) < 500, counts
    assert counts["readlink"] < 40, counts
    audit = {c["id"]: c["status"] for c in json.loads(proc.stdout)["controls"]}

    # apply --dry-run runs the same checks; with caches disabled (HE_CACHE is only for read-only runs, so force
    # the uncached path by running apply's checks through an empty-cache shell) the failures must agree.
    log.unlink()
    dry = subprocess.run([BASH, "-c", f'source <(sed "$ d" {script}); he_cache_prefill() {{ HE_CACHE=0; }}; '
                          f'he_main apply --dry-run --root {root}'], env=env, capture_output=True, text=True,
                         timeout=300, check=False)
    uncached_counts = Counter(log.read_text().split())
    would_fix = {line.split(" | ")[0] for line in dry.stdout.splitlines() if " | would-fix | " in line}
    failing = {cid for cid, status in audit.items() if status in ("fail", "deferred")}
    assert would_fix == failing
    assert sum(uncached_counts.values()) > sum(counts.values())  # the uncached run really was uncached

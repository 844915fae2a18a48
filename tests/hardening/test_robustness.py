"""A node that differs from the fixture never stops the run (issue 18, item 1).

Property: remove a random subset of a fixture root's files, systemd units and tools; then apply and audit, through
the real rendered level-2 script, always reach the summary (exit 0, 1 or 3, never 2 or a stop), every control gets
exactly one status, a second apply changes nothing, the audit prints a valid JSON document, and nothing is written
outside the root (a sibling directory and the temporary directory keep their digests; no temp file is left).
Seeds are fixed so a failure reproduces; HARDENING_PROPERTY_SEEDS=N runs more of them.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.hardening.harness import BASH, BENCHMARK_FIXTURE, make_root, script_path, tree_digest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = range(int(os.environ.get("HARDENING_PROPERTY_SEEDS", "2")))
STATUSES = {"pass", "fixed", "fail", "manual", "excepted", "excluded", "not-applicable", "deferred", "error"}
UNIT_DIRS = ("usr/lib/systemd/system", "etc/systemd/system")
TOOL_DIRS = ("usr/sbin", "usr/bin")


def _entries(root: Path, under: tuple[str, ...] = ("",)) -> list[Path]:
    found = set()
    for top in under:
        base = root / top
        if base.is_dir() and not base.is_symlink():
            found.update(p for p in base.rglob("*") if p.is_symlink() or p.is_file())
    return sorted(found)


def damage(root: Path, rng: random.Random) -> list[str]:
    """Remove some units, some tools and a random share of every other file; returns what went (for the report)."""
    gone = []
    for pool, share in ((_entries(root, UNIT_DIRS), 0.3), (_entries(root, TOOL_DIRS), 0.3),
                        (_entries(root), rng.uniform(0.05, 0.25))):
        for p in rng.sample(pool, int(len(pool) * share)):
            if p.is_symlink() or p.exists():
                gone.append(str(p.relative_to(root)))
                p.unlink()
    return sorted(gone)


def run(script: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C", "TMPDIR": str(tmp)}
    return subprocess.run([BASH, str(script), *args], capture_output=True, text=True, env=env, timeout=300)


def check_reached_summary(proc: subprocess.CompletedProcess[str], what: str) -> dict[str, str]:
    context = f"{what} exited {proc.returncode}\nstderr:\n{proc.stderr[-2000:]}"
    assert proc.returncode in (0, 1, 3), context
    assert "stopped at" not in proc.stderr, context
    lines = proc.stdout.splitlines()
    assert lines and lines[-1].startswith("summary |"), context
    statuses = {}
    for line in lines[:-1]:
        parts = line.split(" | ")
        assert len(parts) >= 6 and parts[4] in STATUSES, line
        assert parts[0] not in statuses, f"{parts[0]} reported twice"
        statuses[parts[0]] = parts[4]
    return statuses


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("benchmark", ["al2023", "al2"])
def test_a_damaged_root_never_stops_the_run(benchmark, seed, tmp_path):
    script = script_path(benchmark, 2)
    box = tmp_path / "box"
    box.mkdir()
    root = make_root(box, BENCHMARK_FIXTURE[benchmark])
    sibling = box / "sibling"
    (sibling / "etc").mkdir(parents=True)
    (sibling / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    gone = damage(root, random.Random(f"{benchmark}-{seed}"))
    outside = tree_digest(sibling)
    site = ("--set", "remote-log-host=logs.example.internal")

    first = run(script, scratch, "apply", "--root", str(root), *site)
    statuses = check_reached_summary(first, f"apply after removing {gone}")
    assert statuses, "no control reported"
    settled = tree_digest(root)
    check_reached_summary(run(script, scratch, "apply", "--root", str(root), *site), "second apply")
    assert tree_digest(root) == settled, f"second apply changed the root (removed: {gone})"

    proc = run(script, scratch, "audit", "--root", str(root), "--json")
    assert proc.returncode in (0, 1, 3), proc.stderr[-2000:]
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, json.loads((ROOT / "schemas/audit.schema.json").read_text()))
    assert {c["id"] for c in doc["controls"]} == set(statuses)
    assert sum(doc["summary"].values()) == len(doc["controls"])

    assert tree_digest(sibling) == outside, "apply wrote outside the root"
    assert list(scratch.iterdir()) == [], "temporary files left behind"
    assert not [p for p in root.rglob(".cis-harden.*")], "temp files left in the root"

"""An interrupted apply converges (issue 18, item 1b): a fault-injection harness kills the run (SIGKILL, as a power
cut or a build timeout would) just before its Nth file replacement; a plain apply afterwards must end in exactly
the tree an uninterrupted apply gives, with no temporary file left. HARDENING_FAULT_EVERY=1 tries every write."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.hardening.harness import BASH, make_root, script_path, tree_digest

EVERY = int(os.environ.get("HARDENING_FAULT_EVERY", "37"))


def _apply(script, root, tmp, fault: int | None = None):
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C", "TMPDIR": str(tmp)}
    if fault is not None:
        env["HE_FAULT_AT_WRITE"] = str(fault)
    return subprocess.run([BASH, str(script), "apply", "--root", str(root), "--set",
                           "remote-log-host=logs.example.internal"], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.mark.parametrize("benchmark, fixture", [("al2023", "al2023-eks-node"), ("al2", "al2-eks-node")])
def test_a_killed_apply_converges_on_the_next_run(benchmark, fixture, tmp_path):
    script = script_path(benchmark, 1)
    clean = make_root(tmp_path / "clean", fixture)
    (tmp_path / "t").mkdir()
    # Counting run: how many writes an uninterrupted apply makes (a fault point past the last never fires).
    counted = _apply(script, clean, tmp_path / "t", fault=10**6)
    assert counted.returncode in (0, 1), counted.stderr[-2000:]
    expected = tree_digest(clean)
    writes = sum(1 for line in counted.stdout.splitlines() if "| fixed |" in line)
    assert writes > 10
    tried = 0
    for n in range(1, 400, EVERY):
        root = make_root(tmp_path / f"k{n}", fixture)
        killed = _apply(script, root, tmp_path / "t", fault=n)
        if killed.returncode != -9:
            break  # past the last write
        tried += 1
        again = _apply(script, root, tmp_path / "t")
        assert again.returncode in (0, 1), again.stderr[-2000:]
        assert not list(root.rglob(".cis-harden.*")), f"temp files left after a kill at write {n}"
        assert tree_digest(root) == expected, f"killed at write {n}: the next apply did not converge"
    assert tried >= 2

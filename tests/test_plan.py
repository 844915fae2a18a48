"""`make plan`: the offline plan of the sample stacks, and its clean failure on bad config."""

from __future__ import annotations

import subprocess
import sys
import time

from tests.conftest import ROOT


def run_plan(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hardened_eks.plan", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)


def test_dev_plan_lists_components_and_hardening_summary():
    started = time.monotonic()
    result = run_plan("--stack", "dev")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "network  (hardened-eks:network:Network)" in result.stdout
    assert "aws:ec2/vpc:Vpc: network-vpc" in result.stdout
    for pattern in ("eks-optimized-al2023", "cis-al2023", "bottlerocket"):
        assert pattern in result.stdout
    assert "applied excepted manual excluded not-impl" in result.stdout
    assert elapsed < 10  # the promise is 5 s; leave room for a loaded CI machine


def test_legacy_plan_includes_al2_patterns():
    result = run_plan("--stack", "legacy")
    assert result.returncode == 0, result.stderr
    assert "eks-optimized-al2 " in result.stdout and "cis-al2 " in result.stdout


def test_plan_of_a_bad_stack_is_one_clear_message(tmp_path):
    result = run_plan("--stack", "nope")
    assert result.returncode != 0
    assert "no stack file Pulumi.nope.yaml; stacks here: dev, legacy" in result.stderr
    assert "Traceback" not in result.stderr


def test_readme_generated_tables_are_current():
    result = subprocess.run([sys.executable, "-m", "hardened_eks.docs", "--check"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr

"""`make plan`: the offline plan of the sample stacks, and its clean failure on bad config."""

from __future__ import annotations

import resource
import subprocess
import sys

from tests.conftest import ROOT


def run_plan(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hardened_eks.plan", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)


def test_dev_plan_lists_components_and_hardening_summary():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_plan("--stack", "dev")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert result.returncode == 0, result.stderr
    assert "network  (hardened-eks:network:Network)" in result.stdout
    assert "aws:ec2/vpc:Vpc: network-vpc" in result.stdout
    for pattern in ("eks-optimized-al2023", "cis-al2023", "bottlerocket"):
        assert pattern in result.stdout
    assert "applied excepted manual excluded not-impl" in result.stdout
    # CPU time, not wall time: other test workers share the machine. About 8 s today on one core (the Pulumi
    # SDK's per-resource cost for ~460 mocked resources); a bound that catches a regression, not the 5 s goal.
    assert cpu_seconds < 12, f"plan took {cpu_seconds:.1f} CPU seconds"


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

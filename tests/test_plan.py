"""`make plan`: the offline plan of the sample stacks, and its clean failure on bad config."""

from __future__ import annotations

import re
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
    # Each node group's Kubernetes objects are one ConfigGroup, shown per kind from its input.
    assert "proof-bottlerocket-l1-objects  (kubernetes:yaml/v2:ConfigGroup)" in result.stdout
    assert re.search(r"^ +\d+ x Job \(batch/v1\): cross-node-group-ami-", result.stdout, re.MULTILINE)
    assert re.search(r"^ +2 x Namespace \(v1\): proof-bottlerocket-l1, proof-bottlerocket-l1-host$", result.stdout,
                     re.MULTILINE)
    # CPU time, not wall time: other test workers share the machine. 4.3-4.5 s measured on a loaded machine
    # (one resource per Kubernetes object instead of one ConfigGroup per node group took 8-9 s).
    assert cpu_seconds < 7, f"plan took {cpu_seconds:.1f} CPU seconds"


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


def test_plans_show_partition_volumes_and_the_automatic_5_1_1_6_exclusion():
    for stack, level2_build in (("dev", "eks-optimized-al2023/level-2"), ("legacy", "eks-optimized-al2/level-2")):
        result = run_plan("--stack", stack)
        assert result.returncode == 0, result.stderr
        builds = result.stdout.split("AMI builds (", 1)[1]
        build = builds.split(f"{level2_build}  (", 1)[1].split("build hash:", 1)[0]
        assert re.search(r"volumes: .*/var 100 GiB on /dev/sdf \(1\.1\.(3\.1|2\.4\.1)\)", build), build
        assert "5.1.1.6 (automatic: no hardened-eks:remoteLogHost)" in build
        level1 = builds.split(f"{level2_build.replace('level-2', 'level-1')}  (", 1)[1].split("build hash:", 1)[0]
        assert "volumes:     none" in level1
        exclusions = result.stdout.split("Excluded controls", 1)[1]
        assert re.search(r"5\.1\.1\.6 +Ensure rsyslog is configured to send logs to a remote log host\n +reason: "
                         r"automatic: no site log host; set hardened-eks:remoteLogHost", exclusions), exclusions

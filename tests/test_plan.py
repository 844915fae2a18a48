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
    for pattern in ("eks-optimized-al2023", "bottlerocket"):
        assert pattern in result.stdout
    # The sample needs no paid Marketplace subscription: the CIS image patterns are an opt-in comment.
    assert "cis-al2023" not in result.stdout
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


EXISTING_VPC_STACK = """config:
  aws:region: us-west-2
  hardened-eks:kubernetesVersion: "1.33"
  hardened-eks:architecture: arm64
  hardened-eks:instanceType: c7g.xlarge
  hardened-eks:nodeGroupSize: {minSize: 2, desiredSize: 3, maxSize: 5}
  hardened-eks:patterns:
    - pattern: eks-optimized-al2023
      levels: [1]
    - pattern: bottlerocket
      levels: [1]
  hardened-eks:sourceAmis: {eks-optimized-al2023: ami-0123456789abcdef0}
  hardened-eks:exclusions:
    al2023:
      - id: "1.1.2.1"
        reason: "/tmp stays on the root volume: the node's disk layout is EKS's"
      - "1.1.2.2"
  hardened-eks:existingVpc:
    vpcId: vpc-0a1b2c3d4e5f60718
    privateSubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
    publicSubnetIds: [subnet-0a1b2c3d4e5f60003]
  hardened-eks:publicAccessCidrs: ["203.0.113.10/32"]
"""


def test_plan_shows_instance_type_sizes_existing_vpc_placeholders_and_exclusion_reasons(tmp_path, monkeypatch,
                                                                                      capsys):
    from hardened_eks import plan

    (tmp_path / "Pulumi.byo.yaml").write_text(EXISTING_VPC_STACK)
    monkeypatch.setattr(plan, "PROJECT_DIR", tmp_path)
    assert plan.main(["--stack", "byo"]) == 0
    out = capsys.readouterr().out
    assert "instance type:   c7g.xlarge (arm64), for Packer builders and nodes" in out
    assert "node groups:     2, each min 2 / desired 3 / max 5 nodes (6 nodes at the desired size)" in out
    assert "network:         existing VPC vpc-0a1b2c3d4e5f60718 (this stack creates no VPC" in out
    assert "private subnets subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002" in out
    assert "public subnets subnet-0a1b2c3d4e5f60003" in out
    assert "aws:ec2/vpc:Vpc" not in out
    # The pinned source AMI is real; the Bottlerocket AMI and every hardened AMI id come from the mocks.
    assert re.search(r"source AMI:  ami-0123456789abcdef0 from pinned in config", out), out
    assert "ami-0123456789abcdef0 [placeholder]" not in out
    assert re.search(r"^bottlerocket/level-1  \(AMI ami-[0-9a-f]+ \[placeholder\]\)$", out, re.MULTILINE)
    assert re.search(r"^eks-optimized-al2023/level-1  \(AMI ami-[0-9a-f]+ \[placeholder\]\)$", out, re.MULTILINE)
    assert re.search(r"1\.1\.2\.1 +Ensure /tmp is a separate partition\n +reason: stack config "
                     r"\(hardened-eks:exclusions\): /tmp stays on the root volume: the node's disk layout is EKS's",
                     out), out
    assert re.search(r"1\.1\.2\.2 +Ensure nodev option set on /tmp partition\n +reason: stack config "
                     r"\(hardened-eks:exclusions\): no reason given", out), out
    assert "AMI ids marked [placeholder] are made up by the offline mocks" in out


def test_component_order_does_not_depend_on_registration_order(run_program):
    import random

    from hardened_eks.plan import render_resources

    resources = list(run_program().resources)
    expected = render_resources(resources)
    for seed in range(3):
        shuffled = resources[:]
        random.Random(seed).shuffle(shuffled)
        assert render_resources(shuffled) == expected

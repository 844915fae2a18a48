"""HardenedAmi under Pulumi mocks: one build per (pattern, level), deterministic inputs, targeted rebuilds."""

from __future__ import annotations

import json

import pytest

from components.encryption_key import key_policy
from hardened_eks.ami_build.spec import BUILDER_ENV, SPEC_ENV, BuildSpec, template_digest

COMMAND = "command:local:Command"
AL_PATTERNS = [
    {"pattern": "eks-optimized-al2023", "levels": [1, 2]},
    {"pattern": "cis-al2023", "levels": [1, 2]},
    {"pattern": "bottlerocket", "levels": [1, 2]},
]


def builds(mocks) -> dict[str, BuildSpec]:
    specs = {}
    for command in mocks.of_type(COMMAND):
        spec_json = (command.inputs.get("environment") or {}).get(SPEC_ENV)
        if spec_json:
            spec = BuildSpec.from_json(spec_json)
            specs[f"{spec.pattern}/level-{spec.level}"] = spec
    return specs


def command_inputs(mocks) -> dict[str, dict]:
    """A Command whose inputs change runs `update` (a rebuild when its hash changed); equal inputs run nothing."""
    return {c.name: c.inputs for c in mocks.of_type(COMMAND)}


def build_hashes(mocks) -> dict[str, str]:
    return {key: spec.build_hash for key, spec in builds(mocks).items()}


@pytest.fixture
def dev(run_program):
    return run_program({"patterns": AL_PATTERNS, "exclusions": {"al2023": ["1.1.2.1"]}})


def test_one_build_per_amazon_linux_pattern_and_level_and_none_for_bottlerocket(dev):
    assert sorted(builds(dev)) == ["cis-al2023/level-1", "cis-al2023/level-2", "eks-optimized-al2023/level-1",
                                   "eks-optimized-al2023/level-2"]
    assert len(dev.of_type("hardened-eks:ami:HardenedAmi")) == 4
    for command in dev.of_type(COMMAND):
        spec = BuildSpec.from_json(command.inputs["environment"][SPEC_ENV])
        # No triggers: pulumi-command replaces on any trigger change, and a replacement deletes the old build.
        assert "triggers" not in command.inputs and spec.build_hash
        assert (command.inputs["create"], command.inputs["update"], command.inputs["delete"]) == (
            "create", "update", "delete")
        assert command.parent == f"ami-{spec.pattern}-level{spec.level}"


def test_node_groups_run_the_built_amis_and_bottlerocket_its_source(dev):
    built = dev.exports["hardenedAmis"]
    node_groups = dev.exports.get("nodeGroups")
    if node_groups is None:
        pytest.skip("the cluster slot exports no nodeGroups yet")
    for key, amis in built.items():
        assert node_groups[key]["amiId"] == next(iter(amis.values()))
        assert node_groups[key]["amiId"] != node_groups[key]["sourceAmiId"]
    assert node_groups["bottlerocket/level-1"]["amiId"] == dev.exports["sourceAmis"]["bottlerocket/level-1"]


def test_build_inputs_are_identical_across_two_runs(run_program):
    overrides = {"patterns": AL_PATTERNS, "amiRegions": ["us-east-1"]}
    first, second = run_program(overrides), run_program(overrides)
    assert {c.name: c.inputs for c in first.of_type(COMMAND)} == {c.name: c.inputs for c in second.of_type(COMMAND)}
    assert build_hashes(first) == build_hashes(second)


def test_an_exclusion_change_rebuilds_only_that_benchmarks_amis(run_program):
    patterns = [{"pattern": "eks-optimized-al2023", "levels": [1, 2]}, {"pattern": "eks-optimized-al2", "levels": [1]},
                {"pattern": "cis-al2", "levels": [2]}]
    base = {"kubernetesVersion": "1.32", "patterns": patterns}
    before = command_inputs(run_program({**base, "exclusions": {"al2023": ["1.1.2.1"]}}))
    after = command_inputs(run_program({**base, "exclusions": {"al2023": ["1.1.2.2"]}}))
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == ["ami-eks-optimized-al2023-level1-packer-build", "ami-eks-optimized-al2023-level2-packer-build"]


def test_a_pinned_source_ami_wins_and_changes_only_that_build(run_program):
    patterns = [{"pattern": "eks-optimized-al2023", "levels": [1, 2]}]
    plain = run_program({"patterns": patterns})
    pinned = run_program({"patterns": patterns, "sourceAmis": {"eks-optimized-al2023": {"2": "ami-0123456789abcdef0"}}})
    assert builds(pinned)["eks-optimized-al2023/level-2"].source_ami_id == "ami-0123456789abcdef0"
    assert builds(pinned)["eks-optimized-al2023/level-1"].build_hash == builds(plain)["eks-optimized-al2023/level-1"].build_hash
    assert builds(pinned)["eks-optimized-al2023/level-2"].build_hash != builds(plain)["eks-optimized-al2023/level-2"].build_hash


def test_a_template_change_changes_the_hash(tmp_path):
    (tmp_path / "node-ami").mkdir()
    (tmp_path / "node-ami" / "a.pkr.hcl").write_text("x = 1\n")
    first = template_digest(tmp_path)
    template_digest.cache_clear()
    (tmp_path / "node-ami" / "a.pkr.hcl").write_text("x = 2\n")
    assert template_digest(tmp_path) != first
    template_digest.cache_clear()


def test_builder_is_private_reached_through_ssm_and_least_privileged(dev):
    for group in (r for r in dev.of_type("aws:ec2/securityGroup:SecurityGroup") if r.name.endswith("-builder-sg")):
        assert not group.inputs.get("ingress")
        assert sorted(rule["fromPort"] for rule in group.inputs["egress"]) == [80, 443]
    for command in dev.of_type(COMMAND):
        environment = command.inputs["environment"]
        assert environment[BUILDER_ENV["subnet_id"]] in dev.exports["privateSubnetIds"]
        assert environment[BUILDER_ENV["security_group_id"]].startswith("id-")  # the mock's id of the builder SG
    attachments = dev.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert {a.inputs["policyArn"] for a in attachments if a.name.endswith("-builder-ssm")} == {
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}
    # Only method 2 installs EKS binaries from S3, so only its builders may read that bucket.
    binaries = sorted(r.name for r in dev.of_type("aws:iam/rolePolicy:RolePolicy") if r.name.endswith("-eks-binaries"))
    assert binaries == ["ami-cis-al2023-level1-builder-eks-binaries", "ami-cis-al2023-level2-builder-eks-binaries"]
    policy = json.loads(dev.named("ami-cis-al2023-level1-builder-eks-binaries").inputs["policy"])
    assert {"s3:GetObject", "s3:ListBucket"} <= {a for s in policy["Statement"] for a in s["Action"]}


def test_amis_are_tagged_encrypted_shared_and_copied_as_configured(run_program):
    mocks = run_program({"patterns": AL_PATTERNS, "amiRegions": ["us-east-1", "eu-west-1"],
                         "amiShareAccounts": ["210987654321"],
                         "kmsKeys": {"us-east-1": "arn:aws:kms:us-east-1:123456789012:key/east",
                                     "eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/eu"},
                         "amiRetention": 3})
    spec = builds(mocks)["cis-al2023/level-2"]
    assert spec.regions == ("us-west-2", "us-east-1", "eu-west-1")
    assert spec.region_kms_key_ids == {"us-east-1": "arn:aws:kms:us-east-1:123456789012:key/east",
                                       "eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/eu"}
    assert spec.kms_key_id.startswith("arn:") and spec.share_accounts == ("210987654321",)
    assert spec.ami_tags["hardened-eks:pattern"] == "cis-al2023" and spec.ami_tags["hardened-eks:level"] == "2"
    assert spec.ami_tags["hardened-eks:benchmark"] == "al2023" and spec.ami_tags["hardened-eks:cis-scan"] == "test-level2"
    assert spec.retention == 3 and spec.eks_ami_release
    parameter = mocks.named("ami-cis-al2023-level2-current-ami")
    assert parameter.inputs["name"] == "/hardened-eks/test/cis-al2023/level-2/ami-id"
    value = parameter.inputs["value"]
    value = value["value"] if isinstance(value, dict) else value  # pulumi-aws treats `value` as a secret
    assert value == mocks.exports["hardenedAmis"]["cis-al2023/level-2"]["us-west-2"]


def test_copies_without_a_key_of_ours_use_the_aws_managed_key(run_program):
    spec = builds(run_program({"patterns": AL_PATTERNS[:1], "amiRegions": ["us-east-1"]}))["eks-optimized-al2023/level-1"]
    assert spec.region_kms_key_ids == {"us-east-1": "alias/aws/ebs"}


def test_retention_is_bookkeeping_not_a_rebuild(run_program):
    two = run_program({"patterns": AL_PATTERNS[:1], "amiRetention": 2})
    five = run_program({"patterns": AL_PATTERNS[:1], "amiRetention": 5})
    assert build_hashes(two) == build_hashes(five)
    assert {s.retention for s in builds(two).values()} == {2} and {s.retention for s in builds(five).values()} == {5}


def test_the_cluster_does_not_wait_for_any_build(run_program):
    """Builds hang off the network and key only: nothing the cluster is made of comes from a build."""
    mocks = run_program({"patterns": AL_PATTERNS})
    clusters = mocks.of_type("eks:index:Cluster")
    if not clusters:
        pytest.skip("the cluster slot creates no eks:index:Cluster yet")
    build_values = {json.dumps(v) for spec in builds(mocks).values() for v in (spec.build_hash, spec.ami_name)}
    build_values |= {ami for amis in mocks.exports["hardenedAmis"].values() for ami in amis.values()}
    cluster_inputs = json.dumps(clusters[0].inputs)
    assert not any(value.strip('"') in cluster_inputs for value in build_values)
    ami_children = {r.name for r in mocks.resources if (r.parent or "").startswith("ami-")}
    assert clusters[0].parent is None or not clusters[0].parent.startswith("ami-")
    assert not ami_children & {r.name for r in mocks.resources if r.type == "eks:index:Cluster"}


def test_the_created_key_lets_auto_scaling_launch_nodes_from_encrypted_amis():
    """A customer-managed key must let the Auto Scaling service-linked role use it and create grants for
    EC2, or managed node groups fail to launch instances from the encrypted AMI snapshots."""
    policy = key_policy("aws", "123456789012", "us-west-2", ["210987654321"])
    role = "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    by_principal = [s for s in policy["Statement"] if s["Principal"].get("AWS") == role]
    actions = {a for s in by_principal for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert {"kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant"} <= actions
    grant = next(s for s in by_principal if s["Action"] == "kms:CreateGrant")
    assert grant["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_level_2_method_1_builds_attach_one_volume_per_separate_partition_control(dev):
    specs = builds(dev)
    volumes = specs["eks-optimized-al2023/level-2"].volumes
    assert [(v.control, v.mountpoint, v.device) for v in volumes] == [
        ("1.1.3.1", "/var", "/dev/sdf"), ("1.1.4.1", "/var/tmp", "/dev/sdg"), ("1.1.5.1", "/var/log", "/dev/sdh"),
        ("1.1.6.1", "/var/log/audit", "/dev/sdi"), ("1.1.7.1", "/home", "/dev/sdj")]
    assert volumes[0].size_gib >= 50  # containerd images and pod data live under /var/lib
    assert specs["eks-optimized-al2023/level-1"].volumes == ()  # the controls are level 2
    assert specs["cis-al2023/level-2"].volumes == ()  # the CIS image brings its own partitions


def test_an_excluded_partition_gets_no_volume_and_the_others_keep_their_devices(run_program):
    spec = builds(run_program({"patterns": AL_PATTERNS[:1], "exclusions": {"al2023": ["1.1.3.1", "1.1.7.1"]}}))[
        "eks-optimized-al2023/level-2"]
    assert [(v.mountpoint, v.device) for v in spec.volumes] == [
        ("/var/tmp", "/dev/sdg"), ("/var/log", "/dev/sdh"), ("/var/log/audit", "/dev/sdi")]


def test_the_remote_log_host_reaches_both_methods_and_is_part_of_their_hash(run_program):
    patterns = [AL_PATTERNS[0], AL_PATTERNS[1]]
    unset = builds(run_program({"patterns": patterns}))
    first = builds(run_program({"patterns": patterns, "remoteLogHost": "logs.example.internal"}))
    second = builds(run_program({"patterns": patterns, "remoteLogHost": "logs.example.internal:6514"}))
    assert "5.1.1.6" in unset["eks-optimized-al2023/level-1"].excluded and not unset["eks-optimized-al2023/level-1"].settings
    spec = first["eks-optimized-al2023/level-1"]
    assert "5.1.1.6" not in spec.excluded and spec.settings == {"remote-log-host": "logs.example.internal"}
    for key in ("eks-optimized-al2023/level-1", "eks-optimized-al2023/level-2"):
        assert first[key].build_hash != second[key].build_hash  # the value changes the image
    assert not spec.site_controls  # method 1 applies every control anyway
    for key in ("cis-al2023/level-1", "cis-al2023/level-2"):
        # Method 2 applies nothing of ours but the control the site value serves; the CIS image cannot know it.
        assert unset[key].settings == {} and unset[key].site_controls == ()
        assert first[key].settings == {"remote-log-host": "logs.example.internal"}
        assert first[key].site_controls == ("5.1.1.6",)
        assert first[key].build_hash != second[key].build_hash


def test_a_build_starts_only_once_its_builder_can_reach_aws(dev):
    """A builder launched before NAT, its routes and the SSM endpoints exist, or before its role's policies are
    attached, never registers with SSM (CIS images without the agent install it once, through that egress)."""
    routes = {r.name for r in dev.of_type("aws:ec2/route:Route") if "private" in r.name}
    endpoints = {r.name for r in dev.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    associations = {r.name for r in dev.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
                    if "private" in r.name}
    assert routes and endpoints and associations
    for command in dev.of_type(COMMAND):
        build = command.parent
        needed = routes | endpoints | associations | {f"{build}-builder-ssm", f"{build}-builder-profile"}
        if build.startswith("ami-cis-"):
            needed.add(f"{build}-builder-eks-binaries")
        assert needed <= set(command.depends_on), sorted(needed - set(command.depends_on))

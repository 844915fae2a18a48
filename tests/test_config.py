"""Every bad-config case is rejected with a message naming the key, the value and what is allowed."""

from __future__ import annotations

import pytest

from hardened_eks.config import ConfigError, load_config
from hardened_eks.patterns import PATTERNS
from tests.conftest import make_raw_config


def problems(overrides=None, drop=()) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(make_raw_config(overrides, drop=drop), "test")
    return caught.value.problems


def test_valid_config_loads_with_secure_defaults():
    config = load_config(make_raw_config(), "test")
    assert [(p.name, lv) for p, lv in config.node_groups()] == [
        ("eks-optimized-al2023", 1), ("eks-optimized-al2023", 2), ("bottlerocket", 1), ("bottlerocket", 2)]
    assert [(p.name, lv) for p, lv in config.amis_to_build()] == [("eks-optimized-al2023", 1), ("eks-optimized-al2023", 2)]
    assert config.architecture == "x86_64" and config.ip_family == "ipv4"
    assert config.availability_zone_count == 3 and config.endpoint_public_access
    assert not config.enable_inspector and not config.ami_only


def test_sample_stacks_are_valid():
    import yaml

    from hardened_eks.mocks import pulumi_config_values
    from tests.conftest import ROOT

    for stack in ("dev", "legacy"):
        document = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
        config = load_config(pulumi_config_values(document["config"]), stack)
        assert config.node_groups()
    legacy = load_config(pulumi_config_values(yaml.safe_load((ROOT / "Pulumi.legacy.yaml").read_text())["config"]),
                         "legacy")
    assert {p.name for p, _ in legacy.node_groups()} == set(PATTERNS)


@pytest.mark.parametrize(("overrides", "drop", "expected"), [
    ({"patterns": [{"pattern": "eks-al2023", "levels": [1]}]}, (),
     ["hardened-eks:patterns[0].pattern: 'eks-al2023' is not valid; allowed: eks-optimized-al2023"]),
    ({"patterns": [{"pattern": "bottlerocket", "levels": [3]}]}, (),
     ["hardened-eks:patterns[0].levels: [3] is not valid; pattern bottlerocket supports levels [1, 2]"]),
    ({"patterns": []}, (), ["hardened-eks:patterns: missing or empty"]),
    ({}, ("patterns",), ["hardened-eks:patterns: missing or empty"]),
    ({"patterns": "eks-optimized-al2023"}, (), ["hardened-eks:patterns: 'eks-optimized-al2023' is not valid"]),
    ({"patterns": [{"name": "bottlerocket"}]}, (), ["hardened-eks:patterns[0]: {\"name\": \"bottlerocket\"}"]),
    ({"patterns": [{"pattern": "bottlerocket", "levels": []}]}, (), ["patterns[0].levels: [] is not valid"]),
    ({"patterns": [{"pattern": "bottlerocket", "levels": [1, 1]}]}, (), ["distinct levels"]),
    ({"patterns": [{"pattern": "bottlerocket", "levels": [1]}, {"pattern": "bottlerocket", "levels": [2]}]}, (),
     ["hardened-eks:patterns[1].pattern: 'bottlerocket' is not valid; each pattern may appear once"]),
    ({}, ("kubernetesVersion",), ["hardened-eks:kubernetesVersion: missing"]),
    ({"kubernetesVersion": "1.3"}, (), ["quote it: \"1.30\""]),
    ({"kubernetesVersion": "v1.33"}, (), ["hardened-eks:kubernetesVersion: 'v1.33' is not valid; allowed: 1.29"]),
    ({"kubernetesVersion": "1.99"}, (), ["'1.99' is not valid; allowed:"]),
    ({"kubernetesVersion": "1.33", "patterns": [{"pattern": "eks-optimized-al2", "levels": [1]}]}, (),
     ["eks-optimized-al2 supports Kubernetes up to 1.32 (EKS publishes no newer AMIs for it), not 1.33"]),
    ({"kubernetesVersion": "1.35", "patterns": [{"pattern": "cis-al2023", "levels": [1]}]}, (),
     ["cis-al2023 supports Kubernetes up to 1.34 (the pinned amazon-eks-ami release v20250920 installs node "
      "components up to it), not 1.35"]),
    ({"architecture": "arm64", "kubernetesVersion": "1.32", "patterns": [{"pattern": "cis-al2", "levels": [1]}]}, (),
     ["cis-al2 is available for x86_64, not architecture arm64"]),
    ({"architecture": "aarch64"}, (), ["hardened-eks:architecture: 'aarch64' is not valid; allowed: x86_64, arm64"]),
    ({"exclusions": {"al2023": ["9.9.9"]}, "patterns": [{"pattern": "eks-optimized-al2023"}]}, (),
     ["hardened-eks:exclusions.al2023[0]: '9.9.9' is not valid; no such recommendation in benchmark al2023"]),
    ({"exclusions": {"rhel9": ["1.1.1"]}}, (), ["hardened-eks:exclusions: 'rhel9' is not valid; unknown benchmark"]),
    ({"exclusions": {"al2": ["1.1.1.1"]}}, (),
     ["hardened-eks:exclusions: 'al2' is not valid; no selected pattern uses benchmark al2"]),
    ({"exclusions": {"al2023": "1.1.2.1"}}, (), ["hardened-eks:exclusions.al2023: '1.1.2.1' is not valid"]),
    ({"exclusions": {"al2023": [1.1]}}, (), ["quoted control ids"]),
    ({}, ("aws:region",), ["aws:region: missing"]),
    ({"aws:region": "oregon"}, (), ["aws:region: 'oregon' is not valid"]),
    ({"ipFamily": "dual"}, (), ["hardened-eks:ipFamily: 'dual' is not valid; allowed: ipv4, ipv6"]),
    ({"publicAccessCidrs": None}, (), ["hardened-eks:publicAccessCidrs: missing; required while endpointPublicAccess"]),
    ({"publicAccessCidrs": ["example.com"]}, (), ["hardened-eks:publicAccessCidrs[0]: 'example.com' is not valid"]),
    ({"publicAccessCidrs": ["203.0.113.0/24", "0.0.0.0/0"]}, (),
     ["hardened-eks:publicAccessCidrs: '0.0.0.0/0' is not valid; it opens the Kubernetes API to the whole internet"]),
    ({"availabilityZoneCount": "1"}, (), ["availabilityZoneCount: '1' is not valid; allowed: a whole number from 2 to 6"]),
    ({"vpcCidr": "10.0.0.0/24"}, (), ["vpcCidr: '10.0.0.0/24' is not valid; the prefix must be /16 to /20"]),
    ({"nodeGroupSize": {"minSize": 3, "desiredSize": 1}}, (), ["need minSize <= desiredSize <= maxSize"]),
    ({"adminPrincipals": ["alice"]}, (), ["adminPrincipals[0]: 'alice' is not valid; expected an IAM role or user ARN"]),
    ({"sourceAmis": {"bottlerocket": "ami-0123456789abcdef0"}}, (), ["bottlerocket has no AMI build to pin"]),
    ({"sourceAmis": {"eks-optimized-al2023": "ami-xyz"}}, (), ["sourceAmis.eks-optimized-al2023.1: 'ami-xyz'"]),
    ({"amiRegions": ["us-east-1"], "amiShareAccounts": ["210987654321"]}, (),
     ["hardened-eks:kmsKeys.us-east-1: missing; AMIs copied to us-east-1 are shared"]),
    ({"amiShareAccounts": ["1234"]}, (), ["amiShareAccounts[0]: '1234' is not valid; expected a 12-digit"]),
    ({"kmsKeys": {"us-west-2": "arn:aws:kms:eu-west-1:111122223333:key/abc"}}, (), ["must live in region us-west-2"]),
    ({"tags": {"aws:owner": "me"}}, (), ["reserved"]),
    ({"enableInspector": "yes"}, (), ["hardened-eks:enableInspector: 'yes' is not valid; allowed: true or false"]),
    ({"logRetentionDays": "10"}, (), ["logRetentionDays: '10' is not valid; allowed: 1, 3, 5"]),
    ({"kubernetesVersoin": "1.33"}, (), ["hardened-eks:kubernetesVersoin: unknown key; did you mean "
                                         "hardened-eks:kubernetesVersion?"]),
    ({"existingVpc": {"vpcId": "vpc-1", "privateSubnetIds": []}}, (), ["existingVpc.vpcId", "existingVpc.privateSubnetIds"]),
])
def test_bad_config_is_rejected_with_a_clear_message(overrides, drop, expected):
    found = problems(overrides, drop)
    text = "\n".join(found)
    for fragment in expected:
        assert fragment in text, f"{fragment!r} not in:\n{text}"


def test_all_problems_are_reported_together():
    found = problems({"architecture": "sparc", "ipFamily": "ipx", "patterns": [{"pattern": "nope"}]},
                     drop=("aws:region",))
    assert len(found) == 4
    assert any(p.startswith("aws:region") for p in found)


def test_yaml_number_version_is_caught_from_the_real_yaml_loader():
    import yaml

    from hardened_eks.mocks import pulumi_config_values

    raw = pulumi_config_values(yaml.safe_load("config:\n  hardened-eks:kubernetesVersion: 1.30\n")["config"])
    assert raw["hardened-eks:kubernetesVersion"] == "1.3"
    assert any('quote it: "1.30"' in p for p in problems({"kubernetesVersion": raw["hardened-eks:kubernetesVersion"]}))


def test_program_raises_run_error_before_any_resource(run_program):
    import pulumi

    with pytest.raises(pulumi.RunError) as caught:
        run_program({"patterns": [{"pattern": "nope", "levels": [1]}]})
    assert "hardened-eks:patterns[0].pattern: 'nope'" in str(caught.value)


def test_program_registers_nothing_on_bad_config():
    import pulumi

    from hardened_eks import program
    from hardened_eks.mocks import HardenedEksMocks, run_with_mocks

    mocks = HardenedEksMocks()
    with pytest.raises(pulumi.RunError):
        run_with_mocks(program.main, make_raw_config({"architecture": "sparc"}), mocks=mocks)
    assert [r for r in mocks.resources if r.type != "pulumi:pulumi:Stack"] == []


@pytest.mark.parametrize(("overrides", "fragment"), [
    ({"complianceGate": {"failingControls": -1}}, "hardened-eks:complianceGate"),
    ({"complianceGate": {"noSuchRule": 1}}, "hardened-eks:complianceGate"),
    ({"vulnerabilityPolicy": {"CRITICAL": "soon"}}, "hardened-eks:vulnerabilityPolicy"),
])
def test_pipeline_settings_are_rejected_before_any_resource(overrides, fragment):
    found = problems(overrides)
    assert any(p.startswith(fragment) for p in found), found


def test_valid_pipeline_settings_pass_through():
    config = load_config(make_raw_config({"complianceGate": {"failingControls": 0},
                                          "vulnerabilityPolicy": {"CRITICAL": 15}}), "test")
    assert config.extra == {"complianceGate": {"failingControls": 0}, "vulnerabilityPolicy": {"CRITICAL": 15}}


@pytest.mark.parametrize("value, hint", [
    ("logs example.internal", "allowed: a host name or IPv4 address"),
    ("logs.example.internal:99999", "ports 1 to 65535"),
    ("logs.example.internal:0", "ports 1 to 65535"),
    ("fd00::10", "an IPv6 address needs brackets"),
    ("[not-ipv6]:514", "allowed: a host name"),
    ("-logs.example.internal", "allowed: a host name"),
    ("tcp://logs.example.internal", "allowed: a host name"),
])
def test_a_bad_remote_log_host_names_key_value_and_what_is_allowed(value, hint):
    text = "\n".join(problems({"remoteLogHost": value}))
    assert f"hardened-eks:remoteLogHost: {value!r} is not valid" in text and hint in text, text


@pytest.mark.parametrize("value", ["logs.example.internal", "10.0.0.10:6514", "[fd00:ec2::514]:514", "[fd00::10]"])
def test_a_remote_log_host_is_a_hardening_setting_and_keeps_5_1_1_6(value):
    config = load_config(make_raw_config({"remoteLogHost": value}), "test")
    assert config.hardening_settings() == {"remote-log-host": value}
    assert "5.1.1.6" not in config.excluded("al2023") and config.automatic_exclusions("al2") == ()


def test_without_a_remote_log_host_5_1_1_6_is_excluded_automatically_with_its_reason():
    config = load_config(make_raw_config({"exclusions": {"al2023": ["1.1.2.1"]}}), "test")
    assert config.remote_log_host is None and config.hardening_settings() == {}
    assert config.excluded("al2023") == ("1.1.2.1", "5.1.1.6")
    assert config.excluded("al2") == ("5.1.1.6",) and config.excluded("bottlerocket") == ()
    assert config.all_exclusions() == {"al2023": ("1.1.2.1", "5.1.1.6")}  # only benchmarks in use
    assert "hardened-eks:remoteLogHost" in config.exclusion_reason("al2023", "5.1.1.6")
    assert config.exclusion_reason("al2023", "1.1.2.1") == "stack config (hardened-eks:exclusions): no reason given"


EXISTING_VPC = {"vpcId": "vpc-0123456789abcdef0",
                "privateSubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]}


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"publicAccessCidrs": ["0.0.0.0/1", "128.0.0.0/1"]},
     "hardened-eks:publicAccessCidrs: [\"0.0.0.0/1\", \"128.0.0.0/1\"] is not valid; together these CIDRs cover "
     "0.0.0.0/0"),
    ({"publicAccessCidrs": ["203.0.113.0/24", "0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"]}, "cover 0.0.0.0/0"),
    ({"publicAccessCidrs": ["0.0.0.0/0.0.0.0"]},
     "hardened-eks:publicAccessCidrs: '0.0.0.0/0.0.0.0' is not valid; it opens the Kubernetes API to the whole"),
    ({"publicAccessCidrs": ["0.0.0.0/00"]}, "'0.0.0.0/00' is not valid; it opens the Kubernetes API"),
    ({"publicAccessCidrs": [" 0.0.0.0/0"]}, "publicAccessCidrs[0]: ' 0.0.0.0/0' is not valid; remove the spaces"),
    ({"publicAccessCidrs": ["203.0.113.0/24", "::/0"]},
     "publicAccessCidrs[1]: '::/0' is not valid; an IPv4 cluster's API endpoint has IPv4 addresses only"),
    ({"ipFamily": "ipv6", "publicAccessCidrs": ["203.0.113.0/24", "::/0"]}, "'::/0' is not valid; it opens"),
    ({"ipFamily": "ipv6", "publicAccessCidrs": ["203.0.113.0/24", "::/1", "8000::/1"]}, "cover ::/0"),
    ({"publicAccessCidrs": ["203.0.113.10/24"]}, "publicAccessCidrs[0]: '203.0.113.10/24' is not valid; expected"),
    ({"privateAccessCidrs": ["0.0.0.0/1", "128.0.0.0/1"]}, "hardened-eks:privateAccessCidrs: [\"0.0.0.0/1\""),
])
def test_access_cidrs_are_compared_as_networks(overrides, expected):
    text = "\n".join(problems(overrides))
    assert expected in text, text


def test_an_ipv6_cluster_takes_ipv6_public_cidrs_in_canonical_form():
    config = load_config(make_raw_config({"ipFamily": "ipv6",
                                          "publicAccessCidrs": ["203.0.113.0/255.255.255.0", "2001:db8::/56"]}), "t")
    assert config.public_access_cidrs == ("203.0.113.0/24", "2001:db8::/56")


def test_a_private_endpoint_needs_a_vpc_that_exists_before_the_stack_and_the_deployers_cidrs():
    found = "\n".join(problems({"endpointPublicAccess": "false", "publicAccessCidrs": None}))
    assert ("hardened-eks:endpointPublicAccess: 'false' is not valid; with the public endpoint off, `pulumi up` must "
            "run inside the cluster's VPC, and this stack would create that VPC itself") in found
    assert "hardened-eks:privateAccessCidrs: missing; required while endpointPublicAccess is false" in found
    config = load_config(make_raw_config({"endpointPublicAccess": "false", "publicAccessCidrs": None,
                                          "existingVpc": EXISTING_VPC, "privateAccessCidrs": ["10.20.8.0/24"]}), "t")
    assert config.private_access_cidrs == ("10.20.8.0/24",) and not config.endpoint_public_access
    # Building AMIs only creates no cluster, so there is no API to reach.
    assert load_config(make_raw_config({"endpointPublicAccess": "false", "publicAccessCidrs": None,
                                        "amiOnly": "true"}), "t").ami_only


@pytest.mark.parametrize(("arn", "role_arn"), [
    ("arn:aws:sts::111122223333:assumed-role/ci-deployer/GitHubActions", "arn:aws:iam::111122223333:role/<path/>ci-deployer"),
    ("arn:aws-us-gov:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com",
     "arn:aws-us-gov:iam::111122223333:role/<path/>AWSReservedSSO_Admin_0123"),
])
def test_an_sts_session_arn_is_refused_with_the_role_arn_to_give_instead(arn, role_arn):
    text = "\n".join(problems({"adminPrincipals": [arn]}))
    assert f"hardened-eks:adminPrincipals[0]: '{arn}' is not valid; this is an STS session (assumed-role) ARN" in text
    assert role_arn in text, text


@pytest.mark.parametrize("overrides", [
    {"endpointPublicAccess": "false", "publicAccessCidrs": None},
    {"publicAccessCidrs": ["0.0.0.0/1", "128.0.0.0/1"]},
    {"adminPrincipals": ["arn:aws:sts::111122223333:assumed-role/ci-deployer/run-1"]},
])
def test_endpoint_and_principal_problems_stop_the_program_before_any_resource(overrides):
    import pulumi

    from hardened_eks import program
    from hardened_eks.mocks import HardenedEksMocks, run_with_mocks

    mocks = HardenedEksMocks()
    with pytest.raises(pulumi.RunError) as caught:
        run_with_mocks(program.main, make_raw_config(overrides), mocks=mocks)
    assert "invalid stack configuration" in str(caught.value) and "Traceback" not in str(caught.value)
    assert [r for r in mocks.resources if r.type != "pulumi:pulumi:Stack"] == []

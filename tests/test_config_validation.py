"""Validation that catches the rest (issue 16, part 4): each problem names the key, the value and what is allowed,
all of them in one pass, before any resource exists."""

from __future__ import annotations

import json

import pytest

from hardened_eks.config import ConfigError, instance_architecture, known_regions, load_config
from tests.conftest import make_raw_config


def full_width(digits: str) -> str:
    """The same digits in the full-width forms (U+FF10..U+FF19) an IME types; Python's \\d and int() accept them."""
    return "".join(chr(0xFF10 + int(d)) for d in digits)


ACCOUNT_FW = full_width("111122223333")
EXISTING_VPC = {"vpcId": "vpc-0123456789abcdef0",
                "privateSubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]}


def problems(overrides=None, drop=()) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(make_raw_config(overrides, drop=drop), "test")
    return caught.value.problems


def one_problem(overrides) -> str:
    found = problems(overrides)
    assert len(found) == 1, found
    return found[0]


# Families as AWS names them (EC2 User Guide, "Instance type naming conventions" and the Graviton list).
@pytest.mark.parametrize(("instance_type", "architecture"), [
    ("m7g.large", "arm64"), ("c7gn.xlarge", "arm64"), ("r8g.medium", "arm64"), ("x2gd.large", "arm64"),
    ("im4gn.large", "arm64"), ("is4gen.medium", "arm64"), ("t4g.small", "arm64"), ("m6g.large", "arm64"),
    ("m6gd.large", "arm64"), ("c6gn.large", "arm64"), ("g5g.xlarge", "arm64"), ("hpc7g.4xlarge", "arm64"),
    ("a1.large", "arm64"), ("i8g.large", "arm64"), ("p6e-gb200.36xlarge", "arm64"),
    ("m6i.large", "x86_64"), ("m7i-flex.large", "x86_64"), ("c6in.large", "x86_64"), ("g4dn.xlarge", "x86_64"),
    ("m5zn.large", "x86_64"), ("r5dn.large", "x86_64"), ("t3a.micro", "x86_64"), ("inf2.xlarge", "x86_64"),
    ("trn1n.32xlarge", "x86_64"), ("x2iezn.2xlarge", "x86_64"), ("u-6tb1.metal", "x86_64"), ("m7a.large", "x86_64"),
    ("hpc6a.48xlarge", "x86_64"), ("gr6.4xlarge", "x86_64"), ("p5.48xlarge", "x86_64"),
])
def test_instance_architecture_follows_the_family_naming_rule(instance_type, architecture):
    assert instance_architecture(instance_type) == architecture


@pytest.mark.parametrize(("architecture", "instance_type"), [
    ("x86_64", "m7g.large"), ("x86_64", "c7gn.xlarge"), ("x86_64", "t4g.medium"), ("x86_64", "a1.large"),
    ("arm64", "m6i.large"), ("arm64", "c5.xlarge"),
])
def test_an_instance_type_of_the_other_architecture_is_refused(architecture, instance_type):
    problem = one_problem({"architecture": architecture, "instanceType": instance_type})
    assert problem.startswith(f"hardened-eks:instanceType: '{instance_type}' is not valid; it is ")
    assert f"architecture is {architecture}" in problem
    assert load_config(make_raw_config({"architecture": architecture}), "t").instance_type != instance_type


def test_matching_instance_types_are_accepted():
    assert load_config(make_raw_config({"architecture": "arm64", "instanceType": "c7gn.large"}), "t")
    assert load_config(make_raw_config({"instanceType": "m7i-flex.large"}), "t")


@pytest.mark.parametrize(("key", "value"), [("vpcCidr", "10.1.0.0/16"), ("natGateways", "perAz"),
                                            ("availabilityZoneCount", "2")])
def test_existing_vpc_refuses_the_keys_it_makes_meaningless(key, value):
    problem = one_problem({"existingVpc": EXISTING_VPC, key: value})
    assert problem.startswith(f"hardened-eks:{key}: '{value}' is not valid; with existingVpc the stack creates no VPC")
    # Without existingVpc the same key is fine.
    assert load_config(make_raw_config({key: value}), "t")


def test_an_exclusion_above_every_selected_level_is_refused():
    level_1_only = [{"pattern": "eks-optimized-al2023", "levels": [1]}]
    # 1.1.2.1 is level 1; 1.6.1.5 (SELinux enforcing) is level 2 in CIS Amazon Linux 2023.
    from hardening.catalog import load_catalog

    levels = {c.id: c.level for c in load_catalog("al2023")}
    assert (levels["1.1.2.1"], levels["1.6.1.5"]) == (1, 2)
    problem = one_problem({"patterns": level_1_only, "exclusions": {"al2023": ["1.1.2.1", "1.6.1.5"]}})
    assert problem.startswith("hardened-eks:exclusions.al2023[1]: '1.6.1.5' is not valid; 1.6.1.5 is a level-2 "
                              "control and the patterns using al2023 select level 1 at most")
    # Another pattern of the same benchmark at level 2 makes it meaningful.
    both = [*level_1_only, {"pattern": "cis-al2023", "levels": [2]}]
    assert load_config(make_raw_config({"patterns": both, "exclusions": {"al2023": ["1.6.1.5"]}}), "t")


def test_exclusions_carry_a_reason_beside_plain_ids():
    config = load_config(make_raw_config({"exclusions": {"al2023": [
        {"id": "1.6.1.5", "reason": "SELinux enforcing breaks our CSI driver (ticket OPS-42)"}, "1.1.2.1"]}}), "t")
    assert config.exclusions == {"al2023": ("1.1.2.1", "1.6.1.5")}
    assert config.excluded("al2023") == ("1.1.2.1", "1.6.1.5", "5.1.1.6")
    assert config.configured_reason("al2023", "1.6.1.5") == "SELinux enforcing breaks our CSI driver (ticket OPS-42)"
    assert config.configured_reason("al2023", "1.1.2.1") == "no reason given"
    assert config.exclusion_reason("al2023", "1.6.1.5").endswith(": SELinux enforcing breaks our CSI driver "
                                                                 "(ticket OPS-42)")


@pytest.mark.parametrize(("entry", "expected"), [
    ({"id": "1.1.2.1"}, "hardened-eks:exclusions.al2023[0].reason: null is not valid; expected one line of text"),
    ({"id": "1.1.2.1", "reason": ""}, "exclusions.al2023[0].reason: '' is not valid"),
    ({"id": "1.1.2.1", "reason": "two\nlines"}, "exclusions.al2023[0].reason: 'two\\nlines' is not valid"),
    ({"id": "1.1.2.1", "reason": "x" * 301}, "1 to 300 characters"),
    ({"id": "1.1.2.1", "reson": "typo"}, "hardened-eks:exclusions.al2023[0].reson: 'typo' is not valid; unknown key; "
                                         "did you mean reason? allowed: id, reason"),
    ({"id": 1.1, "reason": "why"}, "exclusions.al2023[0].id: 1.1 is not valid; expected a quoted control id"),
    ({"id": "9.9.9", "reason": "why"}, "exclusions.al2023[0]: '9.9.9' is not valid; no such recommendation"),
    (["1.1.2.1"], "exclusions.al2023[0]: [\"1.1.2.1\"] is not valid; expected a list of quoted control ids"),
])
def test_bad_exclusion_entries_name_key_value_and_what_is_allowed(entry, expected):
    text = "\n".join(problems({"exclusions": {"al2023": [entry]}}))
    assert expected in text, text


@pytest.mark.parametrize(("key", "close"), [("instancetype", "instanceType"), ("kubernetesVersoin", "kubernetesVersion"),
                                            ("exclusion", "exclusions"), ("remoteLogHosts", "remoteLogHost")])
def test_unknown_keys_get_a_did_you_mean(key, close):
    assert one_problem({key: "x"}).startswith(f"hardened-eks:{key}: unknown key; did you mean hardened-eks:{close}?")


def test_every_problem_is_reported_in_one_pass():
    found = problems({"architecture": "arm64", "instanceType": "m6i.large", "kubernetesVersion": "1.99",
                      "tags": {"aws:x": "y"}, "logRetentionDays": "10", "amiShareAccounts": ["1234"],
                      "existingVpc": EXISTING_VPC, "natGateways": "perAz", "remoteLogHost": "a b",
                      "aws:region": "us-nowhere-1", "instancetype": "m7g.large"})
    keys = [p.split(":", 2)[1].split(" ")[0] if p.startswith("hardened-eks:") else p.split(":")[0] for p in found]
    for key in ("instanceType", "kubernetesVersion", "tags[\"aws", "logRetentionDays", "amiShareAccounts[0]",
                "natGateways", "remoteLogHost", "aws", "instancetype"):
        assert any(k.startswith(key) for k in keys), (key, found)


def test_yaml_null_is_unset_and_the_text_none_is_not_invented(tmp_path):
    from hardened_eks.stack_file import read_stack_config

    path = tmp_path / "Pulumi.t.yaml"
    path.write_text("config:\n  aws:region: us-west-2\n  hardened-eks:kubernetesVersion: '1.33'\n"
                    "  hardened-eks:patterns: [{pattern: bottlerocket, levels: [1]}]\n"
                    "  hardened-eks:publicAccessCidrs: [203.0.113.10/32]\n"
                    "  hardened-eks:remoteLogHost: null\n  hardened-eks:instanceType: ~\n")
    config = load_config(read_stack_config(path), "t")
    assert config.remote_log_host is None and config.instance_type == "m6i.large"


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"aws:region": "us-west-2 "}, "aws:region: 'us-west-2 ' is not valid; remove the spaces or line breaks"),
    ({"remoteLogHost": "logs.example.internal\n"}, "hardened-eks:remoteLogHost: 'logs.example.internal\\n' is not "
                                                   "valid; remove the spaces"),
    ({"amiRegions": [" us-east-1"]}, "hardened-eks:amiRegions[0]: ' us-east-1' is not valid; remove the spaces"),
    ({"tags": {"team ": "x"}}, "hardened-eks:tags key: 'team ' is not valid; remove the spaces"),
    ({"kubernetesVersion": "1.33\n"}, "hardened-eks:kubernetesVersion: '1.33\\n' is not valid; remove the spaces"),
])
def test_text_with_spaces_or_line_breaks_around_it_is_refused_once(overrides, expected):
    assert expected in one_problem(overrides)


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"aws:region": "us-nowhere-1"}, "aws:region: 'us-nowhere-1' is not valid; expected an AWS region name"),
    ({"aws:region": f"us-west-{full_width('9')}"}, f"aws:region: 'us-west-{full_width('9')}' is not valid"),
    ({"amiRegions": ["eu-central-3"]}, "hardened-eks:amiRegions[0]: 'eu-central-3' is not valid"),
    ({"kmsKeys": {"mars-north-1": "arn:aws:kms:mars-north-1:111122223333:key/abc"}},
     "hardened-eks:kmsKeys.mars-north-1: 'mars-north-1' is not valid; expected an AWS region"),
    ({"amiShareAccounts": [ACCOUNT_FW]}, f"amiShareAccounts[0]: '{ACCOUNT_FW}' is not valid; expected a 12-digit"),
    ({"availabilityZoneCount": full_width("3")}, f"availabilityZoneCount: '{full_width('3')}' is not valid; allowed: a "
                                                 "whole number"),
    ({"amiRetention": "1_0"}, "amiRetention: '1_0' is not valid"),
    ({"logRetentionDays": "²"}, "logRetentionDays: '²' is not valid; allowed: 1, 3"),
    ({"adminPrincipals": [f"arn:aws:iam::{ACCOUNT_FW}:role/admins"]}, "adminPrincipals[0]"),
    ({"remoteLogHost": f"logs.example.internal:{full_width('514')}"}, "hardened-eks:remoteLogHost: "),
    ({"kubernetesVersion": f"1.{full_width('33')}"}, "hardened-eks:kubernetesVersion: "),
])
def test_unknown_regions_and_odd_digits_are_refused(overrides, expected):
    assert expected in one_problem(overrides)


def test_known_regions_come_from_every_partition():
    regions = known_regions()
    assert {"us-west-2", "eu-central-1", "cn-north-1", "us-gov-west-1"} <= regions


@pytest.mark.parametrize(("tags", "expected"), [
    ({"aws:owner": "me"}, "hardened-eks:tags[\"aws:owner\"]: 'aws:owner' is not valid; tag keys starting with aws:"),
    ({"k" * 129: "v"}, f"hardened-eks:tags[\"{'k' * 129}\"]: '{'k' * 129}' is not valid; tag keys are 1 to 128 "
                       "characters (this one has 129)"),
    ({"team": "v" * 257}, "hardened-eks:tags[\"team\"]: '" + "v" * 257 + "' is not valid; tag values are at most 256"),
    ({"team;drop": "x"}, "hardened-eks:tags[\"team;drop\"]: 'team;drop' is not valid; allowed in tags: letters"),
    ({"team": "a\tb"}, "allowed in tags: letters, digits, spaces and _ . : / = + - @"),
    ({"team": 3}, "hardened-eks:tags[\"team\"]: 3 is not valid; expected a text value"),
    ({f"k{i}": "v" for i in range(37)}, "hardened-eks:tags: '37 tags' is not valid; at most 36: AWS allows 50 tags"),
])
def test_tags_beyond_aws_limits_are_refused_with_the_full_key(tags, expected):
    assert expected in "\n".join(problems({"tags": tags}))


def test_tags_within_aws_limits_are_accepted():
    tags = {f"cost-centre/{i}": "Équipe plateforme @ site:1 +=_-." for i in range(36)}
    tags["k" * 128] = "v" * 256
    tags.pop("cost-centre/0")
    assert load_config(make_raw_config({"tags": tags}), "t").tags == dict(sorted(tags.items()))


def test_deep_json_nesting_is_a_problem_not_a_traceback():
    raw = make_raw_config()
    raw["hardened-eks:tags"] = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ConfigError) as caught:
        load_config(raw, "t")
    assert caught.value.problems[0].startswith("hardened-eks:tags: ")
    json.dumps(caught.value.problems)


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"patterns": [{"pattern": "bottlerocket", "level": [1]}]}, "; unknown key 'level' (did you mean levels?)"),
    ({"nodeGroupSize": {"desiredsize": 2}}, "; unknown key 'desiredsize' (did you mean desiredSize?)"),
    ({"existingVpc": {**EXISTING_VPC, "privateSubnets": []}}, "; unknown key 'privateSubnets' (did you mean "
                                                              "privateSubnetIds?)"),
])
def test_unknown_nested_keys_get_a_did_you_mean(overrides, expected):
    assert one_problem(overrides).endswith(expected)


def test_an_empty_value_as_the_pulumi_cli_passes_a_yaml_null_is_unset():
    # `pulumi up` turns `hardened-eks:remoteLogHost: null` (or `~`, or nothing) into "" (pulumi/pulumi#19483).
    config = load_config(make_raw_config({"remoteLogHost": "", "instanceType": "", "amiRegions": ""}), "t")
    assert config.remote_log_host is None and config.excluded("al2023")[-1] == "5.1.1.6"
    assert config.instance_type == "m6i.large" and config.ami_regions == ()
    assert "aws:region: missing" in problems({"aws:region": ""})[0]

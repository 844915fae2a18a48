"""Policy pack: each validator passes a good resource and rejects a bad one; the pack serves them all."""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any

import pytest

from policy import rules
from tests.conftest import ROOT

GOOD_LAUNCH_TEMPLATE = {
    "imageId": "ami-0123456789abcdef0",
    "metadataOptions": {"httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": 1},
    "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "kmsKeyId": "arn:k"}},
                            {"deviceName": "/dev/xvdb", "ebs": {"encrypted": "true"}}],
    "networkInterfaces": [{"deviceIndex": 0, "associatePublicIpAddress": "false"}],
}
GOOD_INSTANCE = {
    "metadataOptions": {"httpTokens": "required"},
    "rootBlockDevice": {"encrypted": True},
    "ebsBlockDevices": [{"deviceName": "/dev/sdf", "encrypted": True}],
    "associatePublicIpAddress": False,
}
GOOD_CLUSTER = {
    "enabledClusterLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": "arn:aws:kms:us-west-2:1:key/k"}},
    "vpcConfig": {"endpointPrivateAccess": True, "endpointPublicAccess": True,
                  "publicAccessCidrs": ["203.0.113.0/24"]},
}
GOOD = {
    rules.LAUNCH_TEMPLATE: GOOD_LAUNCH_TEMPLATE,
    rules.INSTANCE: GOOD_INSTANCE,
    rules.EBS_VOLUME: {"encrypted": True, "size": 20},
    rules.EKS_CLUSTER: GOOD_CLUSTER,
    rules.EKS_NODE_GROUP: {"clusterName": "c", "nodeRoleArn": "arn:r"},
}


def changed(resource_type: str, path: tuple[Any, ...], value: Any) -> dict:
    """A copy of the good resource with one value at `path` replaced (a value of `...` deletes it)."""
    props = copy.deepcopy(GOOD[resource_type])
    node = props
    for step in path[:-1]:
        node = node[step]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return props


BAD = [
    ("imdsv2-required", rules.LAUNCH_TEMPLATE, ("metadataOptions", "httpTokens"), "optional"),
    ("imdsv2-required", rules.LAUNCH_TEMPLATE, ("metadataOptions",), ...),
    ("imdsv2-required", rules.INSTANCE, ("metadataOptions", "httpTokens"), "optional"),
    ("ebs-encrypted", rules.LAUNCH_TEMPLATE, ("blockDeviceMappings", 1, "ebs", "encrypted"), "false"),
    ("ebs-encrypted", rules.LAUNCH_TEMPLATE, ("blockDeviceMappings",), []),
    ("ebs-encrypted", rules.INSTANCE, ("rootBlockDevice",), ...),
    ("ebs-encrypted", rules.INSTANCE, ("ebsBlockDevices", 0, "encrypted"), False),
    ("ebs-encrypted", rules.EBS_VOLUME, ("encrypted",), ...),
    ("no-public-ip", rules.LAUNCH_TEMPLATE, ("networkInterfaces", 0, "associatePublicIpAddress"), "true"),
    ("no-public-ip", rules.INSTANCE, ("associatePublicIpAddress",), True),
    ("no-ssh-keys", rules.LAUNCH_TEMPLATE, ("keyName",), "my-key"),
    ("no-ssh-keys", rules.EKS_NODE_GROUP, ("remoteAccess",), {"ec2SshKey": "my-key"}),
    ("eks-control-plane-logging", rules.EKS_CLUSTER, ("enabledClusterLogTypes",), ["api", "audit"]),
    ("eks-control-plane-logging", rules.EKS_CLUSTER, ("enabledClusterLogTypes",), ...),
    ("eks-secrets-encryption", rules.EKS_CLUSTER, ("encryptionConfig",), ...),
    ("eks-secrets-encryption", rules.EKS_CLUSTER, ("encryptionConfig", "provider", "keyArn"), ""),
    ("eks-endpoint-restricted", rules.EKS_CLUSTER, ("vpcConfig", "endpointPrivateAccess"), False),
    ("eks-endpoint-restricted", rules.EKS_CLUSTER, ("vpcConfig", "publicAccessCidrs"), ["0.0.0.0/0"]),
    ("eks-endpoint-restricted", rules.EKS_CLUSTER, ("vpcConfig", "publicAccessCidrs"), ...),
    # Left out, AWS opens the public endpoint to 0.0.0.0/0.
    ("eks-endpoint-restricted", rules.EKS_CLUSTER, ("vpcConfig",), {"endpointPrivateAccess": True}),
]
RULES = {rule.name: rule for rule in rules.RULES}


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda r: r.name)
def test_each_rule_passes_good_resources(rule):
    assert rule.checkers, rule.name
    for resource_type, props in GOOD.items():
        assert rule.violations(resource_type, props) == [], resource_type


@pytest.mark.parametrize(("rule", "resource_type", "path", "value"), BAD,
                         ids=[f"{r}-{t.split(':')[-1]}-{'.'.join(map(str, p))}" for r, t, p, _ in BAD])
def test_each_rule_rejects_a_bad_resource(rule, resource_type, path, value):
    messages = RULES[rule].violations(resource_type, changed(resource_type, path, value))
    assert messages and all(isinstance(m, str) and m for m in messages)
    # Only the rule in question objects: the change breaks one default, not several.
    others = [r.name for r in rules.RULES if r.name != rule
              and r.violations(resource_type, changed(resource_type, path, value))]
    assert others == []


def test_every_rule_is_exercised_by_a_bad_case():
    assert {rule for rule, *_ in BAD} == set(RULES)
    assert {(rule, t) for rule, t, *_ in BAD} == {(r.name, t) for r in rules.RULES for t in r.checkers}


def test_imds_switched_off_and_private_only_endpoints_are_accepted():
    assert rules.launch_template_imdsv2({"metadataOptions": {"httpEndpoint": "disabled"}}) == []
    assert rules.eks_endpoint_restricted({"vpcConfig": {"endpointPrivateAccess": True,
                                                        "endpointPublicAccess": False}}) == []


def test_other_resource_types_are_not_judged():
    for rule in rules.RULES:
        assert rule.violations("aws:s3/bucket:Bucket", {"keyName": "x", "encrypted": False}) == []


def test_the_pack_serves_every_rule_as_mandatory_and_reports_violations():
    grpc = pytest.importorskip("grpc")
    from google.protobuf import empty_pb2, struct_pb2
    from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

    process = subprocess.Popen([sys.executable, str(ROOT / "policy" / "__main__.py")], stdout=subprocess.PIPE,
                               text=True)
    try:
        port = process.stdout.readline().strip()
        analyzer = analyzer_pb2_grpc.AnalyzerStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
        info = analyzer.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
        assert info.name == "hardened-eks"
        assert [p.name for p in info.policies] == [r.name for r in rules.RULES]
        assert {p.enforcementLevel for p in info.policies} == {analyzer_pb2.MANDATORY}

        def analyze(resource_type: str, props: dict) -> set[str]:
            properties = struct_pb2.Struct()
            properties.update(props)
            response = analyzer.Analyze(analyzer_pb2.AnalyzeRequest(
                type=resource_type, properties=properties, name="r",
                urn=f"urn:pulumi:s::hardened-eks::{resource_type}::r"), timeout=30)
            return {d.policyName for d in response.diagnostics}

        assert analyze(rules.LAUNCH_TEMPLATE, GOOD_LAUNCH_TEMPLATE) == set()
        assert analyze(rules.LAUNCH_TEMPLATE, changed(rules.LAUNCH_TEMPLATE, ("keyName",), "k")) == {"no-ssh-keys"}
        assert analyze(rules.EKS_CLUSTER, {}) == {"eks-control-plane-logging", "eks-secrets-encryption",
                                                  "eks-endpoint-restricted"}
        halves = changed(rules.EKS_CLUSTER, ("vpcConfig", "publicAccessCidrs"), ["0.0.0.0/1", "128.0.0.0/1"])
        assert analyze(rules.EKS_CLUSTER, halves) == {"eks-endpoint-restricted"}
    finally:
        process.kill()
        process.wait()


OPEN_SPELLINGS = [
    ["0.0.0.0/1", "128.0.0.0/1"],
    ["203.0.113.0/24", "0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"],
    ["0.0.0.0/0.0.0.0"],
    ["0.0.0.0/00"],
    [" 0.0.0.0/0"],
    ["0.0.0.0/0 "],
    ["203.0.113.0/24", "::/0"],
    ["203.0.113.0/24", "::/1", "8000::/1"],
    ["203.0.113.0/24", "0::/0"],
]


@pytest.mark.parametrize("cidrs", OPEN_SPELLINGS, ids=lambda c: "+".join(c))
def test_the_endpoint_guard_compares_networks_not_strings(cidrs):
    props = changed(rules.EKS_CLUSTER, ("vpcConfig", "publicAccessCidrs"), cidrs)
    messages = RULES["eks-endpoint-restricted"].violations(rules.EKS_CLUSTER, props)
    assert any("public endpoint open to" in m for m in messages), messages


def test_the_endpoint_guard_keeps_limited_ranges_and_refuses_unreadable_ones():
    limited = changed(rules.EKS_CLUSTER, ("vpcConfig", "publicAccessCidrs"),
                      ["203.0.113.0/24", "0.0.0.0/1", "2001:db8::/32"])
    assert RULES["eks-endpoint-restricted"].violations(rules.EKS_CLUSTER, limited) == []
    garbled = changed(rules.EKS_CLUSTER, ("vpcConfig", "publicAccessCidrs"), ["203.0.113.0/24", "everywhere"])
    assert RULES["eks-endpoint-restricted"].violations(rules.EKS_CLUSTER, garbled)
    assert rules.internet_covered(["0.0.0.0/1", "128.0.0.0/1", "::/1"]) == ["0.0.0.0/0"]

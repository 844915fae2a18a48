"""Under Pulumi mocks: one managed node group per (pattern, level), each on its own secure launch template."""

from __future__ import annotations

import base64
import email
import json
import tomllib
from typing import Any

import pytest
import yaml

from components.node_group import IMDS_HOP_LIMIT, NODE_ROLE_POLICIES, node_group_name
from hardened_eks.mocks import fake_id, run_with_mocks
from hardened_eks.patterns import PATTERNS, Bootstrap
from hardened_eks.tags import BUILD_HASH, node_tags
from policy import rules
from tests.conftest import make_raw_config

LT = "aws:ec2/launchTemplate:LaunchTemplate"
MNG = "eks:index:ManagedNodeGroup"
SELECTION = [
    {"pattern": "eks-optimized-al2023", "levels": [1, 2]},
    {"pattern": "eks-optimized-al2", "levels": [1]},
    {"pattern": "cis-al2023", "levels": [2]},
    {"pattern": "cis-al2", "levels": [1]},
    {"pattern": "bottlerocket", "levels": [1, 2]},
]
EXPECTED = [(s["pattern"], level) for s in SELECTION for level in s["levels"]]
USER_TAGS = {"team": "platform"}


def run(overrides: dict[str, Any]) -> Any:
    from hardened_eks import program

    return run_with_mocks(program.main, make_raw_config(overrides), stack="ng")


@pytest.fixture(scope="module")
def mocks() -> Any:
    # Kubernetes 1.32: the newest version every pattern (AL2 included) supports.
    return run({"patterns": SELECTION, "kubernetesVersion": "1.32", "tags": USER_TAGS, "instanceType": "m7i.xlarge",
                "nodeGroupSize": {"minSize": 2, "desiredSize": 3, "maxSize": 5}})


def by_key(mocks: Any, type_token: str, suffix: str) -> dict[tuple[str, int], Any]:
    found = {}
    for pattern, level in EXPECTED:
        name = f"cluster-{pattern}-level{level}-{suffix}"
        found[(pattern, level)] = next(r for r in mocks.of_type(type_token) if r.name == name)
    assert len(mocks.of_type(type_token)) == len(EXPECTED)
    return found


def user_data(template: Any) -> str:
    return base64.b64decode(template.inputs["userData"]).decode()


def test_one_node_group_per_pattern_and_level_with_its_labels(mocks):
    groups = by_key(mocks, MNG, "nodes")
    for (pattern, level), group in groups.items():
        assert group.inputs["nodeGroupName"] == node_group_name(PATTERNS[pattern], level)
        assert group.inputs["labels"] == {"hardened-eks/pattern": pattern, "hardened-eks/level": str(level)}
        assert group.inputs["scalingConfig"] == {"minSize": 2, "desiredSize": 3, "maxSize": 5}
        assert group.parent == f"cluster-{pattern}-level{level}"
        # Everything about the instances comes from our launch template, nothing from pulumi-eks.
        for generated in ("amiId", "amiType", "userData", "operatingSystem", "instanceTypes", "diskSize",
                          "kubeletExtraArgs", "bootstrapExtraArgs", "remoteAccess", "version"):
            assert generated not in group.inputs, generated


def test_each_group_uses_its_own_launch_template_and_the_cluster(mocks):
    groups, templates = by_key(mocks, MNG, "nodes"), by_key(mocks, LT, "lt")
    for key, group in groups.items():
        assert group.inputs["launchTemplate"] == {"id": fake_id("id", f"{LT}/{templates[key].name}"), "version": "1"}
        assert group.inputs["cluster"].endswith("eks:index:Cluster::cluster-eks")
    assert len({t.name for t in templates.values()}) == len(EXPECTED)


def test_nodes_run_in_the_private_subnets(mocks):
    private = sorted(fake_id("id", f"aws:ec2/subnet:Subnet/{r.name}") for r in mocks.of_type("aws:ec2/subnet:Subnet")
                     if "-private-" in r.name)
    for group in mocks.of_type(MNG):
        assert sorted(group.inputs["subnetIds"]) == private


def test_launch_templates_run_the_node_ami_of_their_pattern_and_level(mocks):
    source, outputs = mocks.exports["sourceAmis"], mocks.exports["nodeGroups"]
    for (pattern, level), template in by_key(mocks, LT, "lt").items():
        key = f"{pattern}/level-{level}"
        assert template.inputs["imageId"] == outputs[key]["amiId"]
        assert template.inputs["imageId"].startswith("ami-")
        if not PATTERNS[pattern].builds_ami:  # stock patterns run their source AMI as it is
            assert template.inputs["imageId"] == source[key]
        assert template.inputs["instanceType"] == "m7i.xlarge"


def test_imdsv2_required_with_hop_limit_one(mocks):
    for template in mocks.of_type(LT):
        assert template.inputs["metadataOptions"] == {
            "httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": IMDS_HOP_LIMIT,
            "instanceMetadataTags": "disabled"}
        assert IMDS_HOP_LIMIT == 1


# The separate-partition volumes a level-2 method-1 AMI carries (/var, /var/tmp, /var/log, /var/log/audit, /home).
PARTITION_DEVICES = ["/dev/sdf", "/dev/sdg", "/dev/sdh", "/dev/sdi", "/dev/sdj"]


def test_every_os_volume_encrypted_with_our_key(mocks):
    key = mocks.exports["kmsKeyArn"]
    for (pattern, level), template in by_key(mocks, LT, "lt").items():
        mappings = template.inputs["blockDeviceMappings"]
        extra = PARTITION_DEVICES if (pattern, level) == ("eks-optimized-al2023", 2) else []
        assert [m["deviceName"] for m in mappings] == [*PATTERNS[pattern].ebs_devices, *extra]
        for mapping in mappings:
            assert mapping["ebs"]["encrypted"] == "true" and mapping["ebs"]["kmsKeyId"] == key
            assert mapping["ebs"]["volumeType"] == "gp3" and mapping["ebs"]["deleteOnTermination"] == "true"
            assert "volumeSize" not in mapping["ebs"]  # each volume keeps its snapshot's size
    bottlerocket = by_key(mocks, LT, "lt")[("bottlerocket", 1)]
    assert [m["deviceName"] for m in bottlerocket.inputs["blockDeviceMappings"]] == ["/dev/xvda", "/dev/xvdb"]


def test_partition_volumes_of_the_ami_stay_mapped_and_follow_exclusions():
    """Nodes of a level-2 AMI get its extra volumes encrypted with our key; an excluded control's volume is
    neither built nor mapped, and the others keep their device names."""
    mocks = run({"patterns": [{"pattern": "eks-optimized-al2", "levels": [1, 2]}], "kubernetesVersion": "1.32",
                 "exclusions": {"al2": ["1.1.2.3.1"]}})  # /home
    key = mocks.exports["kmsKeyArn"]
    templates = {r.name: r for r in mocks.of_type(LT)}
    level2 = templates["cluster-eks-optimized-al2-level2-lt"].inputs["blockDeviceMappings"]
    assert [m["deviceName"] for m in level2] == ["/dev/xvda", "/dev/sdf", "/dev/sdg", "/dev/sdh", "/dev/sdi"]
    assert all(m["ebs"]["kmsKeyId"] == key and m["ebs"]["encrypted"] == "true" for m in level2)
    level1 = templates["cluster-eks-optimized-al2-level1-lt"].inputs["blockDeviceMappings"]
    assert [m["deviceName"] for m in level1] == ["/dev/xvda"]


def test_no_ssh_key_and_no_public_ip(mocks):
    cluster_sg = fake_id("sg", "hardened-eks-ng-cluster")
    for template in mocks.of_type(LT):
        assert "keyName" not in template.inputs
        (interface,) = template.inputs["networkInterfaces"]
        assert interface["associatePublicIpAddress"] == "false"
        assert interface["securityGroups"] == [cluster_sg]
        assert "subnetId" not in interface and "ipv6AddressCount" not in interface


def test_tag_scheme_on_template_instances_and_volumes(mocks):
    for (pattern, level), template in by_key(mocks, LT, "lt").items():
        expected = node_tags("ng", USER_TAGS, PATTERNS[pattern], level)
        if PATTERNS[pattern].builds_ami:  # hardened builds add the hash of what was built
            expected[BUILD_HASH] = mocks.exports["amiBuildHashes"][f"{pattern}/level-{level}"]
        assert template.inputs["tags"] == expected
        specs = {s["resourceType"]: s["tags"] for s in template.inputs["tagSpecifications"]}
        assert {"instance", "volume"} <= set(specs)
        for tags in specs.values():
            assert tags == {**expected, "Name": f"ng-{pattern}-level{level}"}
            assert tags["hardened-eks:cis-scan"] == f"ng-level{level}"


def test_user_data_per_bootstrap_style_parses_back(mocks):
    for (pattern, level), template in by_key(mocks, LT, "lt").items():
        text = user_data(template)
        labels = {"hardened-eks/pattern": pattern, "hardened-eks/level": str(level)}
        style = PATTERNS[pattern].bootstrap
        if style is Bootstrap.BOTTLEROCKET_TOML:
            kubernetes = tomllib.loads(text)["settings"]["kubernetes"]
            assert kubernetes["cluster-name"] == "hardened-eks-ng" and kubernetes["node-labels"] == labels
            continue
        parts = list(email.message_from_string(text).get_payload())
        if style is Bootstrap.NODEADM:
            config = yaml.safe_load(parts[0].get_payload())
            assert parts[0].get_content_type() == "application/node.eks.aws"
            assert config["spec"]["cluster"]["name"] == "hardened-eks-ng"
            assert config["spec"]["cluster"]["cidr"] == "172.20.0.0/16"
            shell = parts[1:]
        else:
            shell = parts
            assert "/etc/eks/bootstrap.sh hardened-eks-ng " in shell[0].get_payload()
        script = "".join(p.get_payload() for p in shell)
        for line in PATTERNS[pattern].extra_bootstrap:
            assert line in script
        if not PATTERNS[pattern].extra_bootstrap:
            assert "iptables" not in script


def test_node_role_has_exactly_the_node_policies(mocks):
    for pattern, level in EXPECTED:
        prefix = f"cluster-{pattern}-level{level}"
        role = mocks.named(f"{prefix}-role")
        trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
        assert [s["Principal"] for s in trust] == [{"Service": "ec2.amazonaws.com"}]
        attached = sorted(r.inputs["policyArn"] for r in mocks.children_of(prefix)
                          if r.type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        assert attached == sorted(f"arn:aws:iam::aws:policy/{p}" for p in NODE_ROLE_POLICIES.values())
        assert not [r for r in mocks.children_of(prefix) if r.type == "aws:iam/rolePolicy:RolePolicy"]
        entry = mocks.named(f"{prefix}-access")
        assert entry.inputs["type"] == "EC2_LINUX" and entry.inputs["clusterName"] == "hardened-eks-ng"
        assert entry.inputs["principalArn"] == role.inputs.get("arn", f"arn:aws:mock:us-west-2:123456789012:role/{prefix}-role")
    assert "AmazonEKS_CNI_Policy" not in NODE_ROLE_POLICIES.values()


def test_outputs_per_pattern_and_level(mocks):
    groups = mocks.exports["nodeGroups"]
    templates = by_key(mocks, LT, "lt")
    assert set(groups) == {f"{p}/level-{lv}" for p, lv in EXPECTED}
    for (pattern, level), template in templates.items():
        output = groups[f"{pattern}/level-{level}"]
        assert output["amiId"] == template.inputs["imageId"]
        if PATTERNS[pattern].builds_ami and "hardenedAmis" in mocks.exports:  # the hardened build, not its source
            assert output["amiId"] != output["sourceAmiId"]
        assert output["sourceAmiId"] == mocks.exports["sourceAmis"][f"{pattern}/level-{level}"]
        assert output["nodeGroupName"] == f"{pattern}-level{level}"
        assert output["launchTemplateId"] == fake_id("id", f"{LT}/{template.name}")


def test_recorded_resources_pass_the_policy_pack(mocks):
    for resource in mocks.resources:
        for rule in rules.RULES:
            assert rule.violations(resource.type, resource.inputs) == [], (rule.name, resource.name)


def test_ipv6_nodes_get_an_ipv6_address_and_the_ipv6_service_range():
    mocks = run({"patterns": [{"pattern": "eks-optimized-al2023", "levels": [1]}], "ipFamily": "ipv6"})
    (template,) = mocks.of_type(LT)
    assert template.inputs["networkInterfaces"][0]["ipv6AddressCount"] == 1
    (part,) = email.message_from_string(user_data(template)).get_payload()
    assert yaml.safe_load(part.get_payload())["spec"]["cluster"]["cidr"] == "fd9a:2b3c:4d5e::/108"


def _proof_objects(mocks: Any, namespace: str) -> list[dict]:
    from hardened_eks.workload_tests import CONFIG_GROUP

    return [o for g in mocks.of_type(CONFIG_GROUP) for o in g.inputs["objs"]
            if o["metadata"].get("namespace", o["metadata"]["name"]) == namespace]


@pytest.mark.parametrize(("ip_family", "api_block"), [("ipv4", "172.20.0.1/32"), ("ipv6", "fd9a:2b3c:4d5e::1/128")])
def test_the_proof_follows_each_groups_launch_template_version_and_its_clusters_service_range(ip_family, api_block):
    """Through the whole program: the node group hands its launch template version and the cluster's
    service range (as EKS describes it) to its proof."""
    import ipaddress

    mocks = run({"patterns": [{"pattern": "eks-optimized-al2023", "levels": [1]}], "ipFamily": ip_family})
    version = "1"  # the launch template's latestVersion, as the mocks create it (hardened_eks/mocks.py)
    objects = _proof_objects(mocks, "proof-eks-optimized-al2023-l1")
    jobs = [o for o in objects if o["kind"] == "Job"]
    assert jobs and all(j["spec"]["template"]["metadata"]["labels"]["hardened-eks/launch-template-version"] == version
                        for j in jobs)
    (api,) = [o for o in objects if o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "allow-kubernetes-api"]
    blocks = [peer["ipBlock"]["cidr"] for peer in api["spec"]["egress"][0]["to"]]
    assert api_block in blocks
    service_range = "172.20.0.0/16" if ip_family == "ipv4" else "fd9a:2b3c:4d5e::/108"
    assert ipaddress.ip_network(api_block).network_address == ipaddress.ip_network(service_range)[1]

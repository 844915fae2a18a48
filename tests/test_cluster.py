"""Under Pulumi mocks: the EKS cluster meets the configuration parts of the CIS Amazon EKS Benchmark."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from components.cluster import CONTROL_PLANE_LOG_TYPES, Cluster, ClusterArgs, NodeGroupSpec, cluster_name
from hardened_eks.mocks import HardenedEksMocks, run_with_mocks
from hardened_eks.patterns import PATTERNS
from tests.conftest import make_raw_config

ADMIN = "arn:aws:iam::123456789012:role/platform-admins"
CLUSTER = "eks:index:Cluster"


def run(overrides: dict[str, Any] | None = None, stack: str = "test") -> HardenedEksMocks:
    from hardened_eks import program

    return run_with_mocks(program.main, make_raw_config(overrides), stack=stack)


@pytest.fixture(scope="module")
def mocks() -> HardenedEksMocks:
    return run({"adminPrincipals": [ADMIN], "publicAccessCidrs": ["203.0.113.0/24", "198.51.100.7/32"],
                "logRetentionDays": "365"})


@pytest.fixture(scope="module")
def cluster(mocks) -> Any:
    (resource,) = mocks.of_type(CLUSTER)
    return resource


def test_access_entries_and_no_default_node_group(cluster):
    assert cluster.inputs["authenticationMode"] == "API"
    assert cluster.inputs["skipDefaultNodeGroup"] is True
    # Pod Identity throughout: no IAM OIDC provider (IRSA trust anchor) is created.
    assert cluster.inputs["createOidcProvider"] is False
    (entry,) = cluster.inputs["accessEntries"].values()
    assert entry["principalArn"] == ADMIN
    assert entry["tags"]["hardened-eks:stack"] == "test"
    (policy,) = entry["accessPolicies"].values()
    assert policy == {"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                      "accessScope": {"type": "cluster"}}


def test_every_control_plane_log_type_into_a_retained_encrypted_group(mocks, cluster):
    assert cluster.inputs["enabledClusterLogTypes"] == ["api", "audit", "authenticator", "controllerManager",
                                                        "scheduler"]
    assert set(CONTROL_PLANE_LOG_TYPES) == set(cluster.inputs["enabledClusterLogTypes"])
    group = mocks.named("cluster-control-plane-logs")
    assert group.inputs["name"] == f"/aws/eks/{cluster.inputs['name']}/cluster"
    assert group.inputs["retentionInDays"] == 365
    assert group.inputs["kmsKeyId"] == mocks.exports["kmsKeyArn"]


def test_secrets_envelope_encryption_with_the_stack_key(mocks, cluster):
    assert cluster.inputs["encryptionConfigKeyArn"] == mocks.exports["kmsKeyArn"]


def test_private_endpoint_and_public_only_from_listed_cidrs(cluster):
    assert cluster.inputs["endpointPrivateAccess"] is True
    assert cluster.inputs["endpointPublicAccess"] is True
    assert cluster.inputs["publicAccessCidrs"] == ["203.0.113.0/24", "198.51.100.7/32"]
    assert cluster.inputs["nodeAssociatePublicIpAddress"] is False


EXISTING_VPC = {"vpcId": "vpc-0123456789abcdef0",
                "privateSubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]}


def test_private_only_cluster_admits_the_deployers_cidrs_to_the_endpoint():
    mocks = run({"endpointPublicAccess": "false", "publicAccessCidrs": None, "existingVpc": EXISTING_VPC,
                 "privateAccessCidrs": ["10.20.8.0/24", "192.168.0.0/16"]})
    (cluster,) = mocks.of_type(CLUSTER)
    assert cluster.inputs["endpointPublicAccess"] is False and cluster.inputs["endpointPrivateAccess"] is True
    assert "publicAccessCidrs" not in cluster.inputs
    # The private endpoint's interfaces carry the cluster security group (EKS's DescribeCluster names it).
    (described,) = [i for t, i in mocks.invokes if t == "aws:eks/getCluster:getCluster"][-1:]
    from hardened_eks.mocks import fake_id
    cluster_sg = fake_id("sg", f"{described['name']}-cluster")
    rules = mocks.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert sorted(r.inputs["cidrIpv4"] for r in rules) == ["10.20.8.0/24", "192.168.0.0/16"]
    assert {(r.inputs["securityGroupId"], r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"])
            for r in rules} == {(cluster_sg, "tcp", 443, 443)}


def test_network_version_and_private_subnets(mocks, cluster):
    assert cluster.inputs["version"] == "1.33" and cluster.inputs["ipFamily"] == "ipv4"
    assert cluster.inputs["vpcId"] == mocks.exports["vpcId"]
    assert cluster.inputs["privateSubnetIds"] == mocks.exports["privateSubnetIds"]
    assert "publicSubnetIds" not in cluster.inputs and "subnetIds" not in cluster.inputs


def test_ipv6_cluster_and_cni_permissions():
    mocks = run({"ipFamily": "ipv6"})
    (cluster,) = mocks.of_type(CLUSTER)
    assert cluster.inputs["ipFamily"] == "ipv6"
    policy = json.loads(mocks.named("cluster-vpc-cni-ipv6").inputs["policy"])
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert "ec2:AssignIpv6Addresses" in actions
    assert not [r for r in mocks.resources if r.name == "cluster-vpc-cni-ipv4"]


def test_add_ons_vpc_cni_with_network_policy_kube_proxy_and_no_coredns(mocks, cluster):
    versions = {i["addonName"]: i["kubernetesVersion"] for token, i in mocks.invokes
                if token == "aws:eks/getAddonVersion:getAddonVersion"}
    assert (versions["vpc-cni"], versions["kube-proxy"]) == ("1.33", "1.33")
    assert cluster.inputs["vpcCniOptions"]["enableNetworkPolicy"] is True
    assert cluster.inputs["vpcCniOptions"]["addonVersion"] == "v1.0.0-eksbuild.1"
    assert "serviceAccountRoleArn" not in cluster.inputs["vpcCniOptions"]  # Pod Identity instead
    assert cluster.inputs["kubeProxyAddonOptions"]["enabled"] is True
    assert cluster.inputs["kubeProxyAddonOptions"]["version"] == "v1.0.0-eksbuild.1"
    assert cluster.inputs["corednsAddonOptions"]["enabled"] is False


def test_vpc_cni_gets_its_permissions_through_pod_identity(mocks):
    association = mocks.named("cluster-vpc-cni")
    assert (association.inputs["namespace"], association.inputs["serviceAccount"]) == ("kube-system", "aws-node")
    assert association.inputs["clusterName"] == "hardened-eks-test"
    role = mocks.named("cluster-vpc-cni-role")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert mocks.named("cluster-vpc-cni-ipv4").inputs["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"



def test_nodes_start_only_after_the_pod_identity_agent_and_the_cni_association(mocks):
    # aws-node's credentials come through Pod Identity; nodes started before the agent never become Ready.
    (agent,) = [r for r in mocks.of_type("aws:eks/addon:Addon") if r.inputs["addonName"] == "eks-pod-identity-agent"]
    assert agent.parent == "cluster" and agent.depends_on == ()
    groups = mocks.of_type("eks:index:ManagedNodeGroup")
    assert groups
    for group in groups:
        assert {agent.name, "cluster-vpc-cni"} <= set(group.depends_on), group.name


def test_kubernetes_provider_from_the_kubeconfig_text(mocks):
    (provider,) = [r for r in mocks.of_type("pulumi:providers:kubernetes") if r.parent == "cluster"]
    assert json.loads(provider.inputs["kubeconfig"])["kind"] == "Config"


def test_stack_outputs(mocks):
    assert mocks.exports["clusterName"] == "hardened-eks-test"
    assert json.loads(mocks.exports["kubeconfig"])["clusters"]
    assert set(mocks.exports["nodeGroups"]) == {"eks-optimized-al2023/level-1", "eks-optimized-al2023/level-2",
                                                "bottlerocket/level-1", "bottlerocket/level-2"}


def test_kubeconfig_output_is_secret():
    import pulumi

    def program():
        from hardened_eks import program as hardened

        outputs = hardened.build(hardened.read_validated_config())
        pulumi.export("kubeconfigIsSecret", pulumi.Output.from_input(outputs["kubeconfig"].is_secret()))

    assert run_with_mocks(program, make_raw_config()).exports["kubeconfigIsSecret"] is True


def test_cluster_names_are_valid_for_eks():
    assert cluster_name("dev") == "hardened-eks-dev"
    assert cluster_name("team.prod/1") == "hardened-eks-team-prod-1"
    assert len(cluster_name("x" * 200)) == 100


def test_component_refuses_repeated_node_groups_and_open_public_endpoint():
    spec = NodeGroupSpec(PATTERNS["bottlerocket"], 1, "ami-0123456789abcdef0", "ami-0123456789abcdef0")
    base = {"stack": "t", "kubernetes_version": "1.33", "vpc_id": "vpc-1", "vpc_cidr": "10.0.0.0/16",
            "private_subnet_ids": ["subnet-1"], "kms_key_arn": "arn:aws:kms:us-west-2:1:key/k"}

    def build(**changes):
        return run_with_mocks(lambda: Cluster("c", ClusterArgs(**{**base, **changes})), {"aws:region": "us-west-2"})

    with pytest.raises(Exception, match="repeat"):
        build(public_access_cidrs=["203.0.113.0/24"], node_groups=[spec, spec])
    with pytest.raises(Exception, match="public_access_cidrs"):
        build(public_access_cidrs=[])


CREATOR_ROLE = "arn:aws:iam::123456789012:role/ci/ci-deployer"
CREATOR_SESSION = "arn:aws:sts::123456789012:assumed-role/ci-deployer/GitHubActions-42"


class AccountMocks(HardenedEksMocks):
    """An account as EKS and IAM answer for it: who calls, whether the cluster exists yet, which entries EKS holds."""

    def __init__(self, caller: str, cluster_exists: bool, entries: dict[str, dict] | None = None):
        super().__init__()
        self.caller, self.cluster_exists, self.entries = caller, cluster_exists, entries or {}

    def call(self, args):
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            self.invokes.append((args.token, dict(args.args)))
            return {"accountId": "123456789012", "arn": self.caller, "id": "123456789012", "userId": "AROAMOCK:s"}
        if args.token == "aws:eks/getCluster:getCluster":
            created = self.cluster_exists or any(r.type == CLUSTER for r in self.resources)
            if not created:
                self.invokes.append((args.token, dict(args.args)))
                return {}, [("name", f"reading EKS Cluster ({args.args['name']}): couldn't find resource")]
            return super().call(args)
        if args.token == "aws:eks/getAccessEntry:getAccessEntry" and args.args["principalArn"] in self.entries:
            self.invokes.append((args.token, dict(args.args)))
            return {"principalArn": args.args["principalArn"], "clusterName": args.args["clusterName"],
                    **self.entries[args.args["principalArn"]]}
        return super().call(args)


def admin_entries(mocks: HardenedEksMocks) -> list[str]:
    (cluster,) = mocks.of_type(CLUSTER)
    return sorted(entry["principalArn"] for entry in (cluster.inputs.get("accessEntries") or {}).values())


def test_no_access_entry_for_the_identity_that_creates_the_cluster(monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *a, **k: warnings.append(message))
    from hardened_eks import program

    mocks = run_with_mocks(program.main, make_raw_config({"adminPrincipals": [CREATOR_ROLE, ADMIN]}),
                           mocks=AccountMocks(CREATOR_SESSION, cluster_exists=False))
    assert admin_entries(mocks) == [ADMIN]
    assert any(CREATOR_ROLE in w and "EKS makes the creating identity cluster admin" in w for w in warnings), warnings


@pytest.mark.parametrize("caller", [CREATOR_SESSION, "arn:aws:sts::123456789012:assumed-role/auditors/bob"])
def test_on_an_existing_cluster_the_creators_entry_is_left_to_eks(caller, monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *a, **k: warnings.append(message))
    from hardened_eks import program

    auditors = "arn:aws:iam::123456789012:role/auditors"
    entries = {
        CREATOR_ROLE: {"tags": {}},  # EKS's, made with the cluster: untagged
        auditors: {"tags": {"hardened-eks:stack": "test"}},  # ours
    }
    # Whoever runs it (the creator again, or someone else), only the creator's entry is left to EKS.
    mocks = run_with_mocks(program.main, make_raw_config({"adminPrincipals": [CREATOR_ROLE, ADMIN, auditors]}),
                           mocks=AccountMocks(caller, True, entries))
    assert admin_entries(mocks) == sorted([ADMIN, auditors])
    assert [w for w in warnings if "adminPrincipals" in w] == [
        f"adminPrincipals: {CREATOR_ROLE} already has an access entry this stack did not make (EKS's entry for the "
        "identity that created the cluster, which is cluster admin already, or one made by hand); no second entry is "
        "created (an entry this stack made before it tagged them: tag it hardened-eks:stack=test)"]

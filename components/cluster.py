"""The EKS cluster (pulumi-eks) and, inside it, one managed node group per hardened AMI.

Configured to meet the configuration parts of the CIS Amazon EKS Benchmark v1.8.0: every
control-plane log type (2.1.1), secrets envelope encryption with our KMS key (5.3.1), private
endpoint access always on and public access only from listed CIDRs (5.4.1, 5.4.2), nodes in
private subnets without public IPs (5.4.3), network policy enforcement in the VPC CNI (4.3.1,
5.4.4), access through IAM access entries (4.1.7, 5.5.1), and pod permissions through Pod
Identity instead of the node role (5.2.1). CoreDNS and the other add-ons that need nodes are created by the workloads code.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_eks as eks
import pulumi_kubernetes as k8s

from components.node_group import NodeGroup, NodeGroupArgs
from hardened_eks.config import NodeGroupSize
from hardened_eks.patterns import Pattern
from hardened_eks.tags import STACK
from hardened_eks.user_data import ClusterConnection

CONTROL_PLANE_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"
# The VPC CNI's own permissions (attached to its Pod Identity role, not to nodes).
CNI_IPV4_POLICY = "AmazonEKS_CNI_Policy"
# Owned here, not by the add-ons component: nodes need it before they can become Ready.
POD_IDENTITY_AGENT = "eks-pod-identity-agent"
# AWS publishes no managed policy for the IPv6 CNI; this is the one its documentation describes.
CNI_IPV6_STATEMENTS = [
    {"Effect": "Allow", "Resource": "*",
     "Action": ["ec2:AssignIpv6Addresses", "ec2:DescribeInstances", "ec2:DescribeTags",
                "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstanceTypes"]},
    {"Effect": "Allow", "Action": ["ec2:CreateTags"], "Resource": ["arn:aws:ec2:*:*:network-interface/*"]},
]
_CLUSTER_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]")


def cluster_name(stack: str) -> str:
    """The EKS cluster name of a stack: fixed, so its log group can exist before the cluster does."""
    return ("hardened-eks-" + _CLUSTER_NAME_CHARS.sub("-", stack))[:100]


@dataclass
class NodeGroupSpec:
    """One node group to create: a (pattern, level) and the AMI its nodes run."""

    pattern: Pattern
    level: int
    ami_id: pulumi.Input[str]
    source_ami_id: pulumi.Input[str]
    build_hash: pulumi.Input[str] | None = None  # hardened builds only


@dataclass
class ClusterArgs:
    stack: str
    kubernetes_version: str
    vpc_id: pulumi.Input[str]
    vpc_cidr: pulumi.Input[str]
    private_subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    kms_key_arn: pulumi.Input[str]
    ip_family: str = "ipv4"
    endpoint_public_access: bool = True
    public_access_cidrs: Sequence[str] = ()
    # Where `pulumi up`, the pipeline and kubectl reach the private endpoint from (inside the VPC or routed to it).
    private_access_cidrs: Sequence[str] = ()
    admin_principals: Sequence[str] = ()
    log_retention_days: int = 90
    instance_type: str = "m6i.large"
    node_group_size: NodeGroupSize = field(default_factory=NodeGroupSize)
    node_groups: Sequence[NodeGroupSpec] = ()
    exclusions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)  # base tags of the stack
    user_tags: Mapping[str, str] = field(default_factory=dict)  # the user's tags alone, for node_tags


class Cluster(pulumi.ComponentResource):
    name: pulumi.Output[str]
    kubeconfig_json: pulumi.Output[str]
    kubernetes_provider: k8s.Provider
    node_groups: list[NodeGroup]

    def __init__(self, name: str, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("hardened-eks:cluster:Cluster", name, None, opts)
        _check(args)
        child = pulumi.ResourceOptions(parent=self)
        invoke = pulumi.InvokeOutputOptions(parent=self)
        eks_name = cluster_name(args.stack)
        tags = dict(args.tags)

        # EKS writes control-plane logs here; creating it first gives them our retention and key.
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-control-plane-logs", name=f"/aws/eks/{eks_name}/cluster",
            retention_in_days=args.log_retention_days, kms_key_id=args.kms_key_arn, tags=tags, opts=child)

        cni_role = self._vpc_cni_role(name, args, tags)
        admins = _admins_needing_an_entry(eks_name, args.admin_principals, args.stack)
        addon_version = {
            addon: aws.eks.get_addon_version_output(addon_name=addon, kubernetes_version=args.kubernetes_version,
                                                    most_recent=False, opts=invoke).version
            for addon in ("vpc-cni", "kube-proxy")
        }
        cluster = eks.Cluster(
            f"{name}-eks",
            name=eks_name,
            version=args.kubernetes_version,
            vpc_id=args.vpc_id,
            private_subnet_ids=args.private_subnet_ids,
            node_associate_public_ip_address=False,
            skip_default_node_group=True,
            authentication_mode=eks.AuthenticationMode.API,
            access_entries=_admin_access_entries(admins, tags),
            # Every pod permission goes through EKS Pod Identity; an IAM OIDC provider (IRSA) would be an unused
            # trust anchor, and creating it fetches the issuer's TLS thumbprint from wherever `pulumi up` runs.
            create_oidc_provider=False,
            ip_family=args.ip_family,
            enabled_cluster_log_types=list(CONTROL_PLANE_LOG_TYPES),
            encryption_config_key_arn=args.kms_key_arn,
            endpoint_private_access=True,
            endpoint_public_access=args.endpoint_public_access,
            public_access_cidrs=list(args.public_access_cidrs) if args.endpoint_public_access else None,
            vpc_cni_options=eks.VpcCniOptionsArgs(addon_version=addon_version["vpc-cni"],
                                                  enable_network_policy=True),
            kube_proxy_addon_options=eks.KubeProxyAddonOptionsArgs(enabled=True,
                                                                   version=addon_version["kube-proxy"]),
            coredns_addon_options=eks.CoreDnsAddonOptionsArgs(enabled=False),
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[log_group]))

        # Nodes reach the VPC CNI's credentials through Pod Identity: the node role has no CNI policy. So the
        # agent (a DaemonSet: nothing to wait for without nodes) and the association exist before any node
        # starts; later, aws-node would have no credentials and the nodes would never become Ready.
        created_name = cluster.kubeconfig_json.apply(lambda _: eks_name)
        cni_association = aws.eks.PodIdentityAssociation(
            f"{name}-vpc-cni", cluster_name=created_name,
            namespace="kube-system", service_account="aws-node", role_arn=cni_role.arn, tags=tags, opts=child)
        pod_identity_agent = aws.eks.Addon(
            f"{name}-{POD_IDENTITY_AGENT}", cluster_name=created_name, addon_name=POD_IDENTITY_AGENT,
            addon_version=aws.eks.get_addon_version_output(addon_name=POD_IDENTITY_AGENT,
                                                           kubernetes_version=args.kubernetes_version,
                                                           most_recent=False, opts=invoke).version,
            resolve_conflicts_on_create="OVERWRITE", resolve_conflicts_on_update="OVERWRITE", tags=tags, opts=child)

        # Read back once the cluster exists (depends_on): what nodes need to join, as plain values.
        described = aws.eks.get_cluster_output(name=eks_name, opts=pulumi.InvokeOutputOptions(
            parent=self, depends_on=[cluster]))
        connection = pulumi.Output.all(described, args.vpc_cidr).apply(
            lambda values: _connection(values[0], values[1], args.ip_family))
        security_group_id = described.apply(lambda d: d.vpc_config.cluster_security_group_id)
        # The private endpoint's interfaces carry the cluster security group, which admits only itself (nodes):
        # the machine running `pulumi up` inside the VPC needs its own way in.
        for cidr in args.private_access_cidrs:
            network = ipaddress.ip_network(cidr)
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-api-from-{str(network).replace('/', '-').replace(':', '.')}", security_group_id=security_group_id,
                ip_protocol="tcp", from_port=443, to_port=443,
                cidr_ipv4=str(network) if network.version == 4 else None,
                cidr_ipv6=str(network) if network.version == 6 else None,
                description="Kubernetes API (private endpoint) from where pulumi up, the pipeline and kubectl run",
                tags=tags, opts=child)

        self.name = cluster.kubeconfig_json.apply(lambda _: eks_name)
        self.kubeconfig_json = cluster.kubeconfig_json
        # Built from the kubeconfig text: resource-typed outputs and get_kubeconfig fail under mocks.
        self.kubernetes_provider = k8s.Provider(f"{name}-k8s", kubeconfig=cluster.kubeconfig_json,
                                                enable_server_side_apply=True, opts=child)

        self.node_groups = [
            NodeGroup(f"{name}-{spec.pattern.name}-level{spec.level}", NodeGroupArgs(
                cluster=cluster, cluster_name=self.name, connection=connection,
                cluster_security_group_id=security_group_id, pattern=spec.pattern, level=spec.level,
                ami_id=spec.ami_id, source_ami_id=spec.source_ami_id, subnet_ids=args.private_subnet_ids,
                kms_key_arn=args.kms_key_arn, stack=args.stack, instance_type=args.instance_type,
                size=args.node_group_size, ip_family=args.ip_family,
                excluded=tuple(args.exclusions.get(spec.pattern.benchmark.key, ())), user_tags=args.user_tags,
                build_hash=spec.build_hash, wait_for=(pod_identity_agent, cni_association),
            ), opts=child)
            for spec in args.node_groups
        ]
        self.register_outputs({
            "name": self.name,
            "kubeconfig_json": pulumi.Output.secret(self.kubeconfig_json),
        })

    def _vpc_cni_role(self, name: str, args: ClusterArgs, tags: dict[str, str]) -> aws.iam.Role:
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-vpc-cni-role", description="VPC CNI (aws-node) through EKS Pod Identity",
            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
                "Action": ["sts:AssumeRole", "sts:TagSession"]}]}),
            tags=tags, opts=child)
        if args.ip_family == "ipv6":
            aws.iam.RolePolicy(f"{name}-vpc-cni-ipv6", role=role.id,
                               policy=json.dumps({"Version": "2012-10-17", "Statement": CNI_IPV6_STATEMENTS}),
                               opts=child)
        else:
            partition = aws.get_partition_output(opts=pulumi.InvokeOutputOptions(parent=self)).partition
            aws.iam.RolePolicyAttachment(
                f"{name}-vpc-cni-ipv4", role=role.name,
                policy_arn=partition.apply(lambda p: f"arn:{p}:iam::aws:policy/{CNI_IPV4_POLICY}"), opts=child)
        return role


def _check(args: ClusterArgs) -> None:
    """Guards for callers that bypass the validated config; config.py reports these to users."""
    if args.endpoint_public_access and not args.public_access_cidrs:
        raise ValueError("a public API endpoint needs public_access_cidrs")
    keys = [(spec.pattern.name, spec.level) for spec in args.node_groups]
    if len(set(keys)) != len(keys):
        raise ValueError(f"node groups repeat a (pattern, level): {keys}")


def _principal_key(arn: str) -> tuple[str, str, str]:
    """(account, kind, name) of an IAM role or user ARN: a role's path is not part of its identity here, since an
    STS session ARN (and so the cluster creator's identity) carries the role name without it."""
    account, resource = arn.split(":")[4], arn.split(":", 5)[5]
    kind, _, rest = resource.partition("/")
    return account, kind, rest.rsplit("/", 1)[-1].lower()


def _not_found(error: Exception) -> bool:
    text = str(error)
    return any(mark in text for mark in ("ResourceNotFoundException", "couldn't find resource", "not found"))


def _admins_needing_an_entry(eks_name: str, principals: Sequence[str], stack: str,
                             warn: Callable[[str], None] | None = None) -> list[str]:
    """The adminPrincipals that get an access entry from this stack.

    pulumi-eks always creates the cluster with bootstrapClusterCreatorAdminPermissions, so EKS itself gives the
    creating identity a cluster-admin access entry; a second entry for that principal fails CreateAccessEntry with
    ResourceInUseException. Left out: the identity running `pulumi up` when this run creates the cluster; once the
    cluster exists, any principal whose entry EKS holds without this stack's tag (EKS's creator entry, or one made
    by hand; this stack tags its own).
    """
    if not principals:
        return []
    warn = warn or pulumi.log.warn
    try:
        aws.eks.get_cluster(name=eks_name)
        exists = True
    except Exception as error:
        if not _not_found(error):
            raise
        exists = False
    kept = []
    if not exists:
        caller = aws.iam.get_session_context(arn=aws.get_caller_identity().arn).issuer_arn
        for arn in principals:
            if _principal_key(arn) == _principal_key(caller):
                warn(f"adminPrincipals: {arn} runs this `pulumi up`, which creates the cluster; EKS makes the "
                     "creating identity cluster admin itself (bootstrapClusterCreatorAdminPermissions), so no access "
                     "entry is created for it")
            else:
                kept.append(arn)
        return kept
    for arn in principals:
        try:
            entry = aws.eks.get_access_entry(cluster_name=eks_name, principal_arn=arn)
        except Exception as error:
            if not _not_found(error):
                raise
            entry = None
        if entry is not None and (entry.tags or {}).get(STACK) != stack:
            warn(f"adminPrincipals: {arn} already has an access entry this stack did not make (EKS's entry for the "
                 "identity that created the cluster, which is cluster admin already, or one made by hand); no second "
                 f"entry is created (an entry this stack made before it tagged them: tag it {STACK}={stack})")
            continue
        kept.append(arn)
    return kept


def _admin_access_entries(principals: Sequence[str], tags: Mapping[str, str]) -> dict[str, eks.AccessEntryArgs]:
    entries = {}
    for arn in principals:
        partition = arn.split(":")[1]
        # Keyed by the ARN, not its position: removing one principal leaves the others untouched.
        entries[f"admin-{hashlib.sha256(arn.encode()).hexdigest()[:10]}"] = eks.AccessEntryArgs(
            principal_arn=arn, tags=dict(tags),
            access_policies={"cluster-admin": eks.AccessPolicyAssociationArgs(
                policy_arn=f"arn:{partition}:eks::aws:cluster-access-policy/{CLUSTER_ADMIN_POLICY}",
                access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"))})
    return entries


def _connection(described: aws.eks.GetClusterResult, vpc_cidr: str, ip_family: str) -> ClusterConnection:
    network = described.kubernetes_network_configs[0]
    return ClusterConnection(
        name=described.name,
        api_server_endpoint=described.endpoint,
        certificate_authority=described.certificate_authorities[0].data,
        service_cidr=network.service_ipv6_cidr if ip_family == "ipv6" else network.service_ipv4_cidr,
        ip_family=ip_family,
        vpc_cidr=vpc_cidr,
    )

"""The Pulumi program as a short story: config, keys, network, AMIs, cluster, proof, compliance."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.cluster import Cluster, ClusterArgs, NodeGroupSpec
from components.encryption_key import EncryptionKey, EncryptionKeyArgs
from components.hardened_ami import HardenedAmi, HardenedAmiArgs
from components.inspector import Inspector, InspectorArgs
from components.network import ZONE_TYPE_FILTER, Network, NetworkArgs, ZoneError, eks_zones
from components.workloads import NodeGroupTarget
from hardened_eks import existing_vpc
from hardened_eks.ami_build import eks_binaries
from hardened_eks.config import ConfigError, StackConfig, load_config, read_pulumi_config
from hardened_eks.consume.publish import ami_only_notes, publish_all
from hardened_eks.endpoint_access import endpoint_problem, running_under_mocks
from hardened_eks.inspector import cis_scan_supported
from hardened_eks.patterns import PATTERNS, BuildMethod
from hardened_eks.source_ami import resolve_source_ami
from hardened_eks.tags import base_tags
from hardened_eks.workload_tests.proof import build_proof


def node_group_key(pattern: str, level: int) -> str:
    """How a (pattern, level) is named in stack outputs and results."""
    return f"{pattern}/level-{level}"


def resolve_eks_binaries(config: StackConfig) -> str:
    """The EKS node binaries method-2 builds install (one answer for every such build of the stack)."""
    try:
        return eks_binaries.resolve(config.kubernetes_version, config.architecture)
    except eks_binaries.NoEksBinaries as error:
        raise pulumi.RunError(str(error)) from None
    except Exception as error:  # the provider raises a bare Exception with AWS's message
        first = (str(error).strip().splitlines() or ["unknown error"])[0]
        raise pulumi.RunError(f"cannot list the EKS node binaries in s3://{eks_binaries.BUCKET} "
                              f"({eks_binaries.BUCKET_REGION}): {first}") from None


def read_validated_config() -> StackConfig:
    try:
        return load_config(read_pulumi_config(), pulumi.get_stack())
    except ConfigError as error:
        # RunError prints the message without a Python traceback.
        raise pulumi.RunError(str(error)) from None


def availability_zones(config: StackConfig) -> list[str]:
    found = aws.get_availability_zones(state="available", filters=[ZONE_TYPE_FILTER])
    try:
        return eks_zones(list(found.names), list(found.zone_ids), config.availability_zone_count, config.region)
    except ZoneError as error:
        raise pulumi.RunError(str(error)) from None


def main() -> None:
    config = read_validated_config()
    # The Kubernetes API must be reachable from here, or nothing is created (no endpoint exists under mocks).
    problem = None if running_under_mocks() else endpoint_problem(config)
    if problem:
        raise pulumi.RunError(problem)
    # An existing VPC's subnets are what they are: check what the program can see before anything exists.
    if config.existing_vpc and not running_under_mocks():
        vpc_problems = existing_vpc.check(config.existing_vpc, config.ip_family)
        if vpc_problems:
            raise pulumi.RunError("\n".join(vpc_problems))
    for key, value in build(config).items():
        pulumi.export(key, value)


def build(config: StackConfig) -> dict[str, object]:
    tags = base_tags(config.stack, config.tags)

    # Before any resource: a region without enough zones for EKS stops here.
    zones = [] if config.existing_vpc else availability_zones(config)

    kms_key_arn = config.kms_keys.get(config.region) or EncryptionKey(
        "encryption", EncryptionKeyArgs(stack=config.stack, share_accounts=list(config.ami_share_accounts),
                                        tags=tags)).arn
    network = Network("network", NetworkArgs(
        availability_zones=zones, vpc_cidr=config.vpc_cidr, ip_family=config.ip_family,
        nat_gateways=config.nat_gateways, log_retention_days=config.log_retention_days,
        flow_log_kms_key_arn=kms_key_arn, existing_vpc=config.existing_vpc, tags=tags))

    source_amis = {(p.name, level): resolve_source_ami(config, p, level) for p, level in config.node_groups()}
    # The AMI each node group runs: a hardened build for Amazon Linux patterns; stock patterns run
    # their source AMI as it is.
    node_amis: dict[tuple[str, int], pulumi.Input[str]] = dict(source_amis)

    outputs: dict[str, object] = {
        "vpcId": network.vpc_id,
        "privateSubnetIds": network.private_subnet_ids,
        "kmsKeyArn": kms_key_arn,
        "sourceAmis": {node_group_key(p, lv): ami for (p, lv), ami in source_amis.items()},
    }

    # --- slot: AMI builds (HardenedAmi per (pattern, level); overwrite node_amis for built patterns) ---
    # Builds need only the network and the key, so they run in parallel with each other and the cluster.
    builder_subnet = network.private_subnet_ids.apply(lambda ids: ids[0])
    node_binaries = resolve_eks_binaries(config) if any(
        p.method is BuildMethod.EKS_ON_CIS_AMI for p, _ in config.amis_to_build()) else ""
    amis = {}
    for pattern, level in config.amis_to_build():
        amis[(pattern.name, level)] = HardenedAmi(f"ami-{pattern.name}-level{level}", HardenedAmiArgs(
            stack=config.stack, pattern=pattern, level=level, region=config.region,
            kubernetes_version=config.kubernetes_version, source_ami_id=source_amis[(pattern.name, level)],
            vpc_id=network.vpc_id, subnet_id=builder_subnet, kms_key_arn=kms_key_arn,
            instance_type=config.instance_type, ip_family=config.ip_family,
            excluded=config.excluded(pattern.benchmark.key), settings=config.hardening_settings(),
            site_controls=config.site_controls(pattern.benchmark.key),
            ami_regions=config.ami_regions,
            region_kms_key_ids={r: k for r, k in config.kms_keys.items() if r in config.ami_regions},
            share_accounts=config.ami_share_accounts, retention=config.ami_retention, user_tags=dict(config.tags),
            eks_binaries=node_binaries, build_after=network.egress_ready))
        node_amis[(pattern.name, level)] = amis[(pattern.name, level)].ami_id
    outputs["hardenedAmis"] = {node_group_key(p, lv): ami.amis for (p, lv), ami in amis.items()}
    outputs["amiBuildHashes"] = {node_group_key(p, lv): ami.build_hash for (p, lv), ami in amis.items()}
    # What a cluster elsewhere needs to run each (pattern, level): `python -m hardened_eks consume` reads it.
    outputs["amiConsumers"] = publish_all(config, amis, source_amis, kms_key_arn, tags)

    if config.ami_only:
        for message in ami_only_notes(config):
            pulumi.log.warn(message)
        return outputs

    # --- slot: EKS cluster and node groups (one per node_amis entry) ---
    cluster = Cluster("cluster", ClusterArgs(
        stack=config.stack, kubernetes_version=config.kubernetes_version, vpc_id=network.vpc_id,
        vpc_cidr=network.vpc_cidr, private_subnet_ids=network.private_subnet_ids, kms_key_arn=kms_key_arn,
        ip_family=config.ip_family, endpoint_public_access=config.endpoint_public_access,
        public_access_cidrs=config.public_access_cidrs, private_access_cidrs=config.private_access_cidrs,
        admin_principals=config.admin_principals,
        log_retention_days=config.log_retention_days, instance_type=config.instance_type,
        node_group_size=config.node_group_size, exclusions=config.all_exclusions(), tags=tags, user_tags=config.tags,
        node_groups=[NodeGroupSpec(PATTERNS[p], lv, ami, source_amis[(p, lv)],
                                   build_hash=amis[(p, lv)].build_hash if (p, lv) in amis else None)
                     for (p, lv), ami in node_amis.items()],
    ))
    outputs["clusterName"] = cluster.name
    outputs["kubeconfig"] = pulumi.Output.secret(cluster.kubeconfig_json)
    outputs["nodeGroups"] = {
        node_group_key(group.pattern, group.level): {
            "amiId": group.ami_id, "sourceAmiId": group.source_ami_id,
            "nodeGroupName": group.node_group_name, "launchTemplateId": group.launch_template_id,
        }
        for group in cluster.node_groups
    }

    # --- slot: add-ons, workloads, test jobs, kube-bench ---
    # Add-ons after the node groups (their pods need nodes); then per node group its proof.
    outputs.update(build_proof(
        config, cluster.name, cluster.kubernetes_provider,
        [NodeGroupTarget(group.pattern, group.level, group.ami_id, labels=group.labels,
                         bootstrap=PATTERNS[group.pattern].bootstrap.value, nodes=config.node_group_size.desired_size,
                         service_cidr=group.service_cidr, launch_template_version=group.launch_template_version)
         for group in cluster.node_groups],
        vpc_cidr=network.vpc_cidr, kms_key_arn=kms_key_arn, depends_on=cluster.node_groups, tags=tags,
        kubeconfig=cluster.kubeconfig_json))

    # --- slot: Inspector ---
    # One CIS scan per level, after the node groups exist; a level's new AMI ids replace its scan.
    scan_amis: dict[int, list[pulumi.Input[str]]] = {}
    for group in cluster.node_groups:
        if config.inspector_scans and cis_scan_supported(PATTERNS[group.pattern]):
            scan_amis.setdefault(group.level, []).append(group.ami_id)
    inspector = Inspector("inspector", InspectorArgs(
        stack=config.stack, region=config.region, enable_inspector=config.enable_inspector,
        ami_ids_by_level=scan_amis, scan_after=list(cluster.node_groups), tags=tags))
    outputs["inspectorCisScans"] = inspector.scan_configuration_arns

    return outputs

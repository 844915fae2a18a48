"""The Pulumi program as a short story: config, keys, network, AMIs, cluster, proof, compliance."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.encryption_key import EncryptionKey, EncryptionKeyArgs
from components.network import Network, NetworkArgs
from hardened_eks.config import ConfigError, StackConfig, load_config, read_pulumi_config
from hardened_eks.source_ami import resolve_source_ami
from hardened_eks.tags import base_tags


def node_group_key(pattern: str, level: int) -> str:
    """How a (pattern, level) is named in stack outputs and results."""
    return f"{pattern}/level-{level}"


def read_validated_config() -> StackConfig:
    try:
        return load_config(read_pulumi_config(), pulumi.get_stack())
    except ConfigError as error:
        # RunError prints the message without a Python traceback.
        raise pulumi.RunError(str(error)) from None


def main() -> None:
    config = read_validated_config()
    for key, value in build(config).items():
        pulumi.export(key, value)


def build(config: StackConfig) -> dict[str, object]:
    tags = base_tags(config.stack, config.tags)

    kms_key_arn = config.kms_keys.get(config.region) or EncryptionKey(
        "encryption", EncryptionKeyArgs(share_accounts=list(config.ami_share_accounts), tags=tags)).arn

    zones = [] if config.existing_vpc else sorted(
        aws.get_availability_zones(state="available").names)[: config.availability_zone_count]
    network = Network("network", NetworkArgs(
        availability_zones=zones, vpc_cidr=config.vpc_cidr, ip_family=config.ip_family,
        nat_gateways=config.nat_gateways, log_retention_days=config.log_retention_days,
        flow_log_kms_key_arn=kms_key_arn, existing_vpc=config.existing_vpc, tags=tags))

    source_amis = {(p.name, level): resolve_source_ami(config, p, level) for p, level in config.node_groups()}
    # The AMI each node group runs: a hardened build for Amazon Linux patterns; stock patterns run
    # their source AMI as it is.
    node_amis: dict[tuple[str, int], pulumi.Input[str]] = dict(source_amis)  # noqa: F841 (read by the cluster slot)

    outputs: dict[str, object] = {
        "vpcId": network.vpc_id,
        "privateSubnetIds": network.private_subnet_ids,
        "kmsKeyArn": kms_key_arn,
        "sourceAmis": {node_group_key(p, lv): ami for (p, lv), ami in source_amis.items()},
    }

    # --- slot: AMI builds (HardenedAmi per (pattern, level); overwrite node_amis for built patterns) ---

    if config.ami_only:
        return outputs

    # --- slot: EKS cluster and node groups (one per node_amis entry) ---

    # --- slot: add-ons, workloads, test jobs, kube-bench ---

    # --- slot: Inspector ---

    return outputs

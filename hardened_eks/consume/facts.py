"""What a consumer of one (pattern, level) AMI needs, as one JSON-able document per node group.

The stack exports these documents as the `amiConsumers` output and writes each field that a consumer reads on
its own as an SSM parameter under /hardened-eks/<stack>/<pattern>/level-<n>/ (hardened_eks.consume.publish).
Everything is derived from the pattern registry, the volume table and the tag scheme, never restated.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Any

from hardened_eks import tags
from hardened_eks.ami_build.spec import ROOT_VOLUME_GIB, ami_parameter_name
from hardened_eks.ami_build.volumes import partition_volumes
from hardened_eks.patterns import Bootstrap, Pattern, SsmParameterSource
from hardened_eks.user_data import ClusterConnection, NodeBootstrap, node_labels, render

# The IMDS settings the stack's own launch templates use (components/node_group.py): tokens required, hop limit 1.
IMDS = {"httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": 1}

# Size of each OS device a node boots with: our builds' root volume (hardened_eks/ami_build/spec.py), and
# Bottlerocket's OS and data volumes (the sizes Karpenter and eksctl give them; never below the AMI's snapshots).
BOTTLEROCKET_DEVICE_GIB = {"/dev/xvda": 4, "/dev/xvdb": 20}

# Cluster facts of the user-data example; `python -m hardened_eks consume` renders with a real cluster's.
EXAMPLE_CLUSTER_NAME = "my-cluster"
EXAMPLE_CERTIFICATE = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nEXAMPLE\n-----END CERTIFICATE-----\n").decode()
EXAMPLE_SERVICE_CIDRS = {"ipv4": "172.20.0.0/16", "ipv6": "fd00:ec2::/108"}
EXAMPLE_VPC_CIDR = "10.0.0.0/16"

# A Standard SSM parameter holds at most 4 KB; a longer user-data example (Bottlerocket level 2 carries its firewall
# script) is named in its parameter instead of stored there.
SSM_STANDARD_LIMIT = 4096

# SSM parameter suffixes under /hardened-eks/<stack>/<pattern>/level-<n>/ besides `ami-id` (HardenedAmi's).
PARAMETERS = ("amis", "volumes", "kms-key-arn", "bootstrap", "user-data-example", "scan-tag")


def parameter_prefix(stack: str, pattern: str, level: int) -> str:
    return ami_parameter_name(stack, pattern, level).rsplit("/", 1)[0]


def example_endpoint(region: str) -> str:
    return f"https://EXAMPLE0123456789ABCDEF.gr7.{region}.eks.amazonaws.com"


def os_devices(pattern: Pattern) -> list[dict[str, Any]]:
    if pattern.builds_ami:
        return [{"device": device, "sizeGiB": ROOT_VOLUME_GIB} for device in pattern.ebs_devices]
    return [{"device": device, "sizeGiB": BOTTLEROCKET_DEVICE_GIB[device]} for device in pattern.ebs_devices]


def volumes(pattern: Pattern, level: int, excluded: Sequence[str], ip_family: str) -> list[dict[str, Any]]:
    """The separate-partition volumes the AMI's block device mappings carry (level 2 of a method-1 build)."""
    return [{"device": v.device, "mountpoint": v.mountpoint, "sizeGiB": v.size_gib, "control": v.control}
            for v in partition_volumes(pattern, level, tuple(excluded), ip_family)]


def ephemeral_device(pattern: Pattern, extra: Sequence[Mapping[str, Any]]) -> str:
    """The device holding kubelet's and containerd's data (Karpenter's `rootVolume`): /var's volume when the AMI
    has one, Bottlerocket's data volume, else the root device."""
    var = [v["device"] for v in extra if v["mountpoint"] == "/var"]
    if var:
        return var[0]
    if pattern.bootstrap is Bootstrap.BOTTLEROCKET_TOML:
        return "/dev/xvdb"
    return pattern.ebs_devices[0]


def user_data_example(pattern: Pattern, level: int, excluded: Sequence[str], ip_family: str, region: str,
                      vpc_cidr: str = EXAMPLE_VPC_CIDR) -> str:
    """The node's full user data for an example cluster (name, endpoint, CA and service range are examples)."""
    cluster = ClusterConnection(EXAMPLE_CLUSTER_NAME, example_endpoint(region), EXAMPLE_CERTIFICATE,
                                EXAMPLE_SERVICE_CIDRS[ip_family], ip_family, vpc_cidr)
    return render(NodeBootstrap(pattern, level, excluded=tuple(excluded)), cluster)


def consumer_facts(*, stack: str, pattern: Pattern, level: int, region: str, kubernetes_version: str,
                   architecture: str, ip_family: str, excluded: Sequence[str], amis: Mapping[str, str],
                   kms_key_arn: str, region_kms_keys: Mapping[str, str], user_tags: Mapping[str, str],
                   vpc_cidr: str = EXAMPLE_VPC_CIDR) -> dict[str, Any]:
    """The document for one (pattern, level); `amis` maps region -> AMI id, the build region first."""
    extra = volumes(pattern, level, excluded, ip_family)
    source = pattern.source
    facts: dict[str, Any] = {
        "pattern": pattern.name,
        "level": level,
        "benchmark": pattern.benchmark.key,
        "benchmarkVersion": pattern.benchmark.version,
        "osFamily": pattern.os_family,
        "architecture": architecture,
        "kubernetesVersion": kubernetes_version,
        "ipFamily": ip_family,
        "region": region,
        "builtAmi": pattern.builds_ami,
        "amiId": amis.get(region, ""),
        "amis": dict(amis),
        "parameterPrefix": parameter_prefix(stack, pattern.name, level),
        # The parameter that always holds the current id: ours for a built AMI, AWS's public one for a stock AMI.
        "amiParameter": (ami_parameter_name(stack, pattern.name, level) if pattern.builds_ami
                         else source.parameter_name(kubernetes_version, architecture)
                         if isinstance(source, SsmParameterSource) else ""),
        "osDevices": os_devices(pattern),
        "volumes": extra,
        "ephemeralDevice": ephemeral_device(pattern, extra),
        # Snapshots of a built AMI are encrypted with this key in the build region: whoever launches from it
        # (the Auto Scaling service-linked role, Karpenter's controller, a CI role) needs kms:CreateGrant,
        # kms:Decrypt, kms:GenerateDataKeyWithoutPlaintext, kms:ReEncrypt* and kms:DescribeKey on it.
        "kmsKeyArn": kms_key_arn,
        "kmsKeys": {r: region_kms_keys.get(r, kms_key_arn if r == region else "alias/aws/ebs") for r in amis},
        "bootstrap": pattern.bootstrap.value,
        "excludedControls": list(excluded),
        "userDataExample": user_data_example(pattern, level, excluded, ip_family, region, vpc_cidr),
        "scanTag": {"key": tags.SCAN, "value": tags.scan_tag_value(stack, level)},
        "tags": tags.node_tags(stack, user_tags, pattern, level),
        "nodeLabels": node_labels(pattern, level),
        "metadataOptions": dict(IMDS),
    }
    return facts


def parameter_values(facts: Mapping[str, Any]) -> dict[str, str]:
    """Suffix -> value of each SSM parameter of one (pattern, level) (SSM refuses empty values: none is)."""
    return {
        "amis": json.dumps(facts["amis"], sort_keys=True),
        "volumes": json.dumps({"osDevices": facts["osDevices"], "volumes": facts["volumes"],
                               "ephemeralDevice": facts["ephemeralDevice"]}, sort_keys=True),
        "kms-key-arn": facts["kmsKeyArn"],
        "bootstrap": facts["bootstrap"],
        "user-data-example": _fits(facts["userDataExample"], facts),
        "scan-tag": f"{facts['scanTag']['key']}={facts['scanTag']['value']}",
    }


def _fits(user_data: str, facts: Mapping[str, Any]) -> str:
    if len(user_data.encode()) <= SSM_STANDARD_LIMIT:
        return user_data
    key = f"{facts['pattern']}/level-{facts['level']}"
    return (f"# {len(user_data.encode())} bytes, more than an SSM parameter holds: read the stack output "
            f"amiConsumers[\"{key}\"].userDataExample, or run `python -m hardened_eks consume --for karpenter` "
            "or `--for launch-template` with your cluster's facts\n")

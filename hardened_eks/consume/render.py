"""Ready-to-apply material from a stack's `amiConsumers` output: Karpenter v1 EC2NodeClasses, EC2
CreateLaunchTemplate inputs for self-managed node groups, and a Terraform JSON snippet.

The user data is rendered again here by the same code the stack's own node groups use (hardened_eks.user_data,
hardening.bottlerocket), from the pattern, level and exclusions the output names, so it cannot drift from what
the stack proved. Karpenter merges its own cluster facts into user data (nodeadm NodeConfig, Bottlerocket
settings, AL2 bootstrap.sh), so its user data carries only what our patterns add; a launch template gets the
whole bootstrap for the cluster the caller names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tomli_w
import yaml

from hardened_eks.patterns import PATTERNS, Bootstrap, Pattern
from hardened_eks.user_data import ClusterConnection, NodeBootstrap, _multipart, _shell_part, encode, render

KARPENTER_API_VERSION = "karpenter.k8s.aws/v1"
AMI_FAMILIES = {Bootstrap.NODEADM: "AL2023", Bootstrap.BOOTSTRAP_SH: "AL2", Bootstrap.BOTTLEROCKET_TOML: "Bottlerocket"}
# Karpenter's getting-started convention (envsubst fills ${CLUSTER_NAME}); --cluster-name and --node-role override.
DEFAULT_NODE_ROLE = "KarpenterNodeRole-${CLUSTER_NAME}"
DISCOVERY_TAG = "karpenter.sh/discovery"
# Bottlerocket settings Karpenter sets itself from the cluster (pkg/providers/amifamily/bootstrap/bottlerocket.go).
KARPENTER_OWNED_BOTTLEROCKET = ("cluster-name", "api-server", "cluster-certificate")


class ConsumeError(ValueError):
    """Outputs or arguments that cannot produce material; the message is one line."""


@dataclass(frozen=True)
class Target:
    """Who consumes: the cluster facts a launch template's user data needs and Karpenter's selectors."""

    region: str | None = None  # None: the stack's region
    cluster_name: str | None = None
    api_server_endpoint: str | None = None
    certificate_authority: str | None = None
    service_cidr: str | None = None
    vpc_cidr: str | None = None
    node_role: str | None = None


def entries(outputs: Mapping[str, Any], stack: str) -> dict[str, dict[str, Any]]:
    """The stack's `amiConsumers` output, each entry checked for what rendering reads."""
    consumers = outputs.get("amiConsumers")
    if not isinstance(consumers, Mapping) or not consumers:
        raise ConsumeError(f"stack {stack} has no amiConsumers output (outputs: {', '.join(sorted(outputs)) or 'none'})"
                           f"; run `make up STACK={stack}` with this version first")
    for key, entry in consumers.items():
        missing = [k for k in ("pattern", "level", "amis", "region", "kmsKeyArn", "osDevices", "volumes",
                               "ephemeralDevice", "excludedControls", "ipFamily", "tags", "nodeLabels")
                   if not isinstance(entry, Mapping) or k not in entry]
        if missing:
            raise ConsumeError(f"stack {stack}: amiConsumers[{key!r}] lacks {', '.join(missing)}")
        if entry["pattern"] not in PATTERNS:
            raise ConsumeError(f"stack {stack}: amiConsumers[{key!r}] names pattern {entry['pattern']!r}, which this "
                               f"checkout does not know; known: {', '.join(PATTERNS)}")
    return dict(consumers)


def _ami(entry: Mapping[str, Any], target: Target, key: str) -> str:
    region = target.region or entry["region"]
    ami = entry["amis"].get(region)
    if not ami:
        raise ConsumeError(f"--region {region}: {key} has no AMI there; it has {', '.join(entry['amis'])} "
                           "(add the region to hardened-eks:amiRegions)")
    return ami


def _kms_key(entry: Mapping[str, Any], target: Target) -> str:
    region = target.region or entry["region"]
    return entry.get("kmsKeys", {}).get(region) or entry["kmsKeyArn"]


def _devices(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"device": d["device"], "sizeGiB": d["sizeGiB"]} for d in (*entry["osDevices"], *entry["volumes"])]


def _pattern(entry: Mapping[str, Any]) -> Pattern:
    return PATTERNS[entry["pattern"]]


def _bottlerocket_vpc_cidr(entry: Mapping[str, Any], target: Target, key: str) -> str:
    if target.vpc_cidr:
        return target.vpc_cidr
    if entry["level"] >= 2:
        raise ConsumeError(f"{key}: Bottlerocket level 2's host firewall admits the VPC's DNS resolver; "
                           "give --vpc-cidr CIDR (your cluster VPC's primary IPv4 CIDR)")
    return "10.0.0.0/16"  # level 1 has no firewall: the value reaches nothing


# --- Karpenter --------------------------------------------------------------------------------------------------

def karpenter_user_data(entry: Mapping[str, Any], target: Target, key: str) -> str | None:
    """What our pattern adds to Karpenter's own bootstrap, or None when it adds nothing."""
    pattern, level, excluded = _pattern(entry), entry["level"], tuple(entry["excludedControls"])
    if pattern.bootstrap is Bootstrap.BOTTLEROCKET_TOML:
        from hardened_eks.consume.facts import EXAMPLE_CERTIFICATE, EXAMPLE_CLUSTER_NAME, example_endpoint
        from hardening import bottlerocket

        cluster = bottlerocket.BottlerocketCluster(
            name=EXAMPLE_CLUSTER_NAME, api_server_endpoint=example_endpoint(entry["region"]),
            certificate_authority=EXAMPLE_CERTIFICATE, vpc_cidr=_bottlerocket_vpc_cidr(entry, target, key),
            ip_family=entry["ipFamily"], node_labels=dict(entry["nodeLabels"]))
        settings = bottlerocket.settings(level, excluded, cluster)
        for owned in KARPENTER_OWNED_BOTTLEROCKET:
            settings["kubernetes"].pop(owned, None)
        return (f"# hardened-eks {pattern.name} level {level}: Karpenter adds the cluster settings\n"
                + tomli_w.dumps({"settings": settings}))
    if pattern.extra_bootstrap:
        return _multipart([_shell_part(pattern.extra_bootstrap)])
    return None


def ec2_node_class(key: str, entry: Mapping[str, Any], stack: str, target: Target) -> dict[str, Any]:
    pattern = _pattern(entry)
    cluster = target.cluster_name or "${CLUSTER_NAME}"
    kms = _kms_key(entry, target)
    spec: dict[str, Any] = {
        "amiFamily": AMI_FAMILIES[pattern.bootstrap],
        "amiSelectorTerms": [{"id": _ami(entry, target, key)}],
        "role": (target.node_role or DEFAULT_NODE_ROLE).replace("${CLUSTER_NAME}", cluster),
        "subnetSelectorTerms": [{"tags": {DISCOVERY_TAG: cluster}}],
        "securityGroupSelectorTerms": [{"tags": {DISCOVERY_TAG: cluster}}],
        "associatePublicIPAddress": False,
        "metadataOptions": {
            "httpEndpoint": "enabled",
            "httpProtocolIPv6": "enabled" if entry["ipFamily"] == "ipv6" else "disabled",
            "httpPutResponseHopLimit": entry.get("metadataOptions", {}).get("httpPutResponseHopLimit", 1),
            "httpTokens": "required",
        },
        "blockDeviceMappings": [
            {"deviceName": d["device"],
             "ebs": {"volumeSize": f"{d['sizeGiB']}Gi", "volumeType": "gp3", "encrypted": True, "kmsKeyID": kms,
                     "deleteOnTermination": True},
             **({"rootVolume": True} if d["device"] == entry["ephemeralDevice"] else {})}
            for d in _devices(entry)
        ],
        # The scan tag lets Inspector's CIS scan of this level find the nodes; the others map them back.
        "tags": dict(entry["tags"]),
    }
    user_data = karpenter_user_data(entry, target, key)
    if user_data is not None:
        spec["userData"] = user_data
    return {
        "apiVersion": KARPENTER_API_VERSION,
        "kind": "EC2NodeClass",
        "metadata": {"name": f"hardened-{entry['pattern']}-level{entry['level']}",
                     "labels": dict(entry["nodeLabels"])},
        "spec": spec,
    }


def karpenter(consumers: Mapping[str, Mapping[str, Any]], stack: str, target: Target) -> str:
    documents = [ec2_node_class(key, entry, stack, target) for key, entry in consumers.items()]
    header = (f"# Karpenter v1 EC2NodeClasses for the hardened AMIs of stack {stack}.\n"
              "# Give each NodePool's template the node labels of its class (metadata.labels) so workloads can select\n"
              "# them; `${CLUSTER_NAME}` is Karpenter's discovery-tag convention (envsubst, or --cluster-name).\n")
    return header + "".join("---\n" + yaml.safe_dump(d, sort_keys=False, width=1000) for d in documents)


# --- launch templates -------------------------------------------------------------------------------------------

def connection(target: Target, ip_family: str, vpc_cidr: str) -> ClusterConnection:
    missing = [flag for flag, value in (("--cluster-name", target.cluster_name),
                                        ("--api-server-endpoint", target.api_server_endpoint),
                                        ("--certificate-authority", target.certificate_authority),
                                        ("--service-cidr", target.service_cidr)) if not value]
    if missing:
        raise ConsumeError(f"launch-template: a self-managed node's user data needs the cluster's facts; give "
                           f"{', '.join(missing)} (`aws eks describe-cluster` prints them)")
    try:
        return ClusterConnection(target.cluster_name, target.api_server_endpoint, target.certificate_authority,
                                 target.service_cidr, ip_family, vpc_cidr)  # type: ignore[arg-type]
    except ValueError as error:
        raise ConsumeError(f"launch-template: {error}") from None


def launch_template(key: str, entry: Mapping[str, Any], stack: str, target: Target) -> dict[str, Any]:
    pattern = _pattern(entry)
    vpc_cidr = (_bottlerocket_vpc_cidr(entry, target, key) if pattern.bootstrap is Bootstrap.BOTTLEROCKET_TOML
                else target.vpc_cidr or "")
    cluster = connection(target, entry["ipFamily"], vpc_cidr)
    user_data = render(NodeBootstrap(pattern, entry["level"], excluded=tuple(entry["excludedControls"])), cluster)
    tags = [{"Key": k, "Value": v} for k, v in sorted(entry["tags"].items())]
    kms = _kms_key(entry, target)
    metadata: dict[str, Any] = {"HttpEndpoint": "enabled", "HttpTokens": "required",
                                "HttpPutResponseHopLimit": entry.get("metadataOptions", {}).get(
                                    "httpPutResponseHopLimit", 1),
                                "InstanceMetadataTags": "disabled"}
    if entry["ipFamily"] == "ipv6":
        metadata["HttpProtocolIpv6"] = "enabled"
    return {
        "LaunchTemplateName": f"hardened-eks-{stack}-{entry['pattern']}-level{entry['level']}",
        "VersionDescription": f"hardened-eks {entry['pattern']} level {entry['level']} for {cluster.name}",
        "LaunchTemplateData": {
            "ImageId": _ami(entry, target, key),
            "UserData": encode(user_data),
            "MetadataOptions": metadata,
            # No size: each volume keeps its snapshot's size, as the stack's own launch templates do.
            "BlockDeviceMappings": [{"DeviceName": d["device"], "Ebs": {
                "Encrypted": True, "KmsKeyId": kms, "VolumeType": "gp3", "DeleteOnTermination": True}}
                for d in _devices(entry)],
            "TagSpecifications": [{"ResourceType": kind, "Tags": tags}
                                  for kind in ("instance", "volume", "network-interface")],
        },
        "TagSpecifications": [{"ResourceType": "launch-template", "Tags": tags}],
    }


def launch_templates(consumers: Mapping[str, Mapping[str, Any]], stack: str, target: Target) -> str:
    """One CreateLaunchTemplate input per (pattern, level); with one entry, the input itself (for
    `aws ec2 create-launch-template --cli-input-json file://...`)."""
    inputs = {key: launch_template(key, entry, stack, target) for key, entry in consumers.items()}
    document: Any = next(iter(inputs.values())) if len(inputs) == 1 else inputs
    return json.dumps(document, indent=2) + "\n"


# --- Terraform --------------------------------------------------------------------------------------------------

_TF_IDENTIFIER = re.compile(r"[^A-Za-z0-9_-]")


def tf_name(key: str) -> str:
    return "hardened_eks_" + _TF_IDENTIFIER.sub("_", key.replace("/level-", "_level"))


def terraform(consumers: Mapping[str, Mapping[str, Any]], stack: str, target: Target) -> str:
    """Terraform JSON syntax (save as hardened-eks.tf.json): the current AMI id from SSM, and per (pattern, level)
    the facts a launch template or EKS module needs."""
    data: dict[str, Any] = {}
    amis: dict[str, Any] = {}
    for key, entry in consumers.items():
        name = tf_name(key)
        # Our parameter exists in the stack's region only; AWS's public ones (stock patterns) in every region.
        parameter = entry.get("amiParameter")
        if entry.get("builtAmi", True) and (target.region or entry["region"]) != entry["region"]:
            parameter = None
        if parameter:
            data[name] = {"name": parameter}
        kms = _kms_key(entry, target)
        amis[key] = {
            "ami_id": f"${{data.aws_ssm_parameter.{name}.insecure_value}}" if parameter else _ami(entry, target, key),
            "ami_ids_by_region": dict(entry["amis"]),
            "kms_key_arn": kms,
            "bootstrap": entry.get("bootstrap", _pattern(entry).bootstrap.value),
            "block_device_mappings": [{"device_name": d["device"], "volume_size": d["sizeGiB"], "volume_type": "gp3",
                                       "encrypted": True, "kms_key_id": kms, "delete_on_termination": True}
                                      for d in _devices(entry)],
            "metadata_options": {"http_endpoint": "enabled", "http_tokens": "required",
                                 "http_put_response_hop_limit": 1},
            "tags": dict(entry["tags"]),
            "node_labels": dict(entry["nodeLabels"]),
        }
    document: dict[str, Any] = {"locals": {"hardened_eks_amis": amis}}
    if data:
        document = {"data": {"aws_ssm_parameter": data}, **document}
    return json.dumps(document, indent=2) + "\n"


FORMATS = {"karpenter": karpenter, "launch-template": launch_templates, "terraform": terraform}


def select(consumers: Mapping[str, Mapping[str, Any]], patterns: Sequence[str], levels: Sequence[int],
           stack: str) -> dict[str, Mapping[str, Any]]:
    chosen = {k: e for k, e in consumers.items()
              if (not patterns or e["pattern"] in patterns) and (not levels or e["level"] in levels)}
    if not chosen:
        raise ConsumeError(f"stack {stack} publishes {', '.join(consumers)}; none matches --pattern "
                           f"{','.join(patterns) or '*'} --level {','.join(map(str, levels)) or '*'}")
    return chosen

"""The guardrails as plain functions: resource inputs in, violation messages out (empty: compliant).

The policy pack (`__main__.py`) wraps each rule in a pulumi-policy ResourceValidationPolicy; the
tests call these functions directly. Property names are the Pulumi input names (camelCase), as
the engine hands them to analyzers. A value left out counts as the AWS default, never as compliant.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
INSTANCE = "aws:ec2/instance:Instance"
EBS_VOLUME = "aws:ebs/volume:Volume"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"

CONTROL_PLANE_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
INTERNET = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))

Props = Mapping[str, Any]
Checker = Callable[[Props], list[str]]


def _true(value: Any) -> bool:
    """Launch templates carry booleans as strings ("true"); everything else as booleans."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _imdsv2(props: Props) -> list[str]:
    options = props.get("metadataOptions") or {}
    if options.get("httpEndpoint") == "disabled":
        return []  # no metadata service at all is stricter still
    tokens = options.get("httpTokens")
    if tokens != "required":
        return [f"metadataOptions.httpTokens is {tokens!r}; IMDSv2 requires \"required\""]
    return []


def launch_template_imdsv2(props: Props) -> list[str]:
    return _imdsv2(props)


def instance_imdsv2(props: Props) -> list[str]:
    return _imdsv2(props)


def launch_template_ebs_encrypted(props: Props) -> list[str]:
    volumes = [m for m in props.get("blockDeviceMappings") or [] if m.get("ebs") is not None]
    if not volumes:
        return ["no EBS block device mappings: the AMI's own (possibly unencrypted) volume settings would apply; "
                "list every device with ebs.encrypted = \"true\""]
    return [f"blockDeviceMappings {m.get('deviceName')!r}: ebs.encrypted is {m['ebs'].get('encrypted')!r}, "
            "must be \"true\"" for m in volumes if not _true(m["ebs"].get("encrypted"))]


def instance_ebs_encrypted(props: Props) -> list[str]:
    problems = []
    root = props.get("rootBlockDevice") or {}
    if not _true(root.get("encrypted")):
        problems.append("rootBlockDevice.encrypted must be true")
    for device in props.get("ebsBlockDevices") or []:
        if not _true(device.get("encrypted")):
            problems.append(f"ebsBlockDevices {device.get('deviceName')!r}: encrypted must be true")
    return problems


def ebs_volume_encrypted(props: Props) -> list[str]:
    return [] if _true(props.get("encrypted")) else ["encrypted must be true"]


def launch_template_no_public_ip(props: Props) -> list[str]:
    return [f"networkInterfaces[{i}].associatePublicIpAddress is true; nodes get no public IP"
            for i, interface in enumerate(props.get("networkInterfaces") or [])
            if _true(interface.get("associatePublicIpAddress"))]


def instance_no_public_ip(props: Props) -> list[str]:
    if _true(props.get("associatePublicIpAddress")):
        return ["associatePublicIpAddress is true; instances get no public IP"]
    return []


def launch_template_no_ssh_key(props: Props) -> list[str]:
    return [f"keyName is {props['keyName']!r}; nodes are reached through SSM, not SSH"] if props.get("keyName") else []


def node_group_no_ssh(props: Props) -> list[str]:
    return ["remoteAccess is set; managed nodes get no SSH access"] if props.get("remoteAccess") else []


def eks_control_plane_logging(props: Props) -> list[str]:
    enabled = set(props.get("enabledClusterLogTypes") or [])
    missing = [t for t in CONTROL_PLANE_LOG_TYPES if t not in enabled]
    return [f"enabledClusterLogTypes lacks {', '.join(missing)} (CIS EKS 2.1.1 wants all)"] if missing else []


def eks_secrets_encryption(props: Props) -> list[str]:
    config = props.get("encryptionConfig") or {}
    if "secrets" not in (config.get("resources") or []) or not (config.get("provider") or {}).get("keyArn"):
        return ["encryptionConfig must encrypt \"secrets\" with a KMS key (provider.keyArn) (CIS EKS 5.3.1)"]
    return []


def eks_endpoint_restricted(props: Props) -> list[str]:
    vpc = props.get("vpcConfig") or {}
    problems = []
    if not _true(vpc.get("endpointPrivateAccess")):
        problems.append("vpcConfig.endpointPrivateAccess must be true (CIS EKS 5.4.2)")
    # AWS defaults: public endpoint on, open to 0.0.0.0/0.
    if vpc.get("endpointPublicAccess", True) is not False:
        cidrs = list(vpc.get("publicAccessCidrs") or [])
        unreadable = [c for c in cidrs if parse_cidr(c) is None]
        open_to = internet_covered(cidrs)
        if not cidrs or open_to:
            problems.append(f"public endpoint open to {', '.join(open_to) or '0.0.0.0/0'} (publicAccessCidrs "
                            f"{cidrs or 'unset'}); list the CIDRs that may reach it in publicAccessCidrs, or turn the "
                            "public endpoint off (CIS EKS 5.4.1)")
        if unreadable:
            problems.append(f"publicAccessCidrs {unreadable} are not CIDRs; the guard cannot tell what they open")
    return problems


def parse_cidr(text: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network a CIDR names, however it is spelled (0.0.0.0/00, 0.0.0.0/0.0.0.0); None if it names none.

    Surrounding spaces are read through: an API that trims them would otherwise get a network no check saw.
    """
    if not isinstance(text, str):
        return None
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def internet_covered(cidrs: Iterable[Any]) -> list[str]:
    """The whole address spaces (0.0.0.0/0, ::/0) the CIDRs cover together, as networks, not as strings.

    0.0.0.0/1 plus 128.0.0.0/1 is the internet as surely as 0.0.0.0/0 is.
    """
    networks = [n for n in (parse_cidr(c) for c in cidrs) if n is not None]
    covered = []
    for whole in INTERNET:
        same_family = [n for n in networks if n.version == whole.version]
        if same_family and list(ipaddress.collapse_addresses(same_family)) == [whole]:
            covered.append(str(whole))
    return covered


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    checkers: Mapping[str, Checker]  # resource type -> checker

    def violations(self, resource_type: str, props: Props) -> list[str]:
        checker = self.checkers.get(resource_type)
        return checker(props) if checker else []


RULES: tuple[Rule, ...] = (
    Rule("imdsv2-required", "Instances and launch templates require IMDSv2 session tokens.",
         {LAUNCH_TEMPLATE: launch_template_imdsv2, INSTANCE: instance_imdsv2}),
    Rule("ebs-encrypted", "Every EBS volume of instances and launch templates is encrypted.",
         {LAUNCH_TEMPLATE: launch_template_ebs_encrypted, INSTANCE: instance_ebs_encrypted,
          EBS_VOLUME: ebs_volume_encrypted}),
    Rule("no-public-ip", "Nodes and instances get no public IP address.",
         {LAUNCH_TEMPLATE: launch_template_no_public_ip, INSTANCE: instance_no_public_ip}),
    Rule("no-ssh-keys", "Nodes carry no SSH key pair and managed node groups no SSH remote access.",
         {LAUNCH_TEMPLATE: launch_template_no_ssh_key, EKS_NODE_GROUP: node_group_no_ssh}),
    Rule("eks-control-plane-logging", "EKS clusters send every control-plane log type to CloudWatch Logs.",
         {EKS_CLUSTER: eks_control_plane_logging}),
    Rule("eks-secrets-encryption", "EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.",
         {EKS_CLUSTER: eks_secrets_encryption}),
    Rule("eks-endpoint-restricted", "EKS API endpoints are private, public only from listed CIDRs.",
         {EKS_CLUSTER: eks_endpoint_restricted}),
)

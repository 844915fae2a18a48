"""Node user data, rendered per bootstrap style from structured data.

A managed node group that runs our own AMI gets no user data from EKS: the launch template must
carry everything the node needs to join. What that is depends on the pattern's bootstrap style:

- nodeadm (AL2023): MIME multi-part with a `NodeConfig` part (`application/node.eks.aws`),
- bootstrap.sh (AL2): MIME multi-part with a shell script calling `/etc/eks/bootstrap.sh`,
- Bottlerocket: TOML settings, rendered by `hardening.bottlerocket` (which owns the CIS settings).

Extra shell lines a pattern needs before joining (`Pattern.extra_bootstrap`) go into a shell part.
Everything here is deterministic: same inputs, same bytes (fixed MIME boundary, sorted labels).
"""

from __future__ import annotations

import base64
import ipaddress
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart

import yaml

from hardened_eks.patterns import Bootstrap, Pattern

LABEL_PATTERN = "hardened-eks/pattern"
LABEL_LEVEL = "hardened-eks/level"

NODECONFIG_MEDIA_TYPE = "application/node.eks.aws"
NODECONFIG_API_VERSION = "node.eks.aws/v1alpha1"
BOOTSTRAP_SH = "/etc/eks/bootstrap.sh"
# A fixed boundary keeps the rendered user data (and so the launch template) stable between runs.
MIME_BOUNDARY = "==hardened-eks-node-boundary=="
SHELL_PREAMBLE = ("#!/bin/bash", "set -o errexit -o nounset -o pipefail")


class UserDataError(ValueError):
    """Cluster facts that cannot produce a working node bootstrap."""


def node_labels(pattern: Pattern, level: int) -> dict[str, str]:
    """Kubernetes labels every node of a (pattern, level) carries; workloads select nodes by them."""
    return {LABEL_PATTERN: pattern.name, LABEL_LEVEL: str(level)}


@dataclass(frozen=True)
class ClusterConnection:
    """What a node needs to know about its cluster to join it."""

    name: str
    api_server_endpoint: str
    certificate_authority: str  # base64 of the PEM bundle, as EKS returns it
    service_cidr: str
    ip_family: str = "ipv4"
    vpc_cidr: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise UserDataError("cluster name is empty")
        if not self.api_server_endpoint.startswith("https://"):
            raise UserDataError(f"API server endpoint {self.api_server_endpoint!r} is not an https:// URL")
        try:
            base64.b64decode(self.certificate_authority, validate=True)
        except ValueError:
            raise UserDataError("certificate authority is not base64") from None
        if self.ip_family not in ("ipv4", "ipv6"):
            raise UserDataError(f"IP family {self.ip_family!r} is not ipv4 or ipv6")
        network = self._service_network()
        if network.version != int(self.ip_family[-1]):
            raise UserDataError(f"service CIDR {self.service_cidr} does not match IP family {self.ip_family}")

    def _service_network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        try:
            return ipaddress.ip_network(self.service_cidr)
        except ValueError:
            raise UserDataError(f"service CIDR {self.service_cidr!r} is not a CIDR") from None

    @property
    def cluster_dns_ip(self) -> str:
        """EKS puts the cluster DNS service at the tenth address of the service range."""
        return str(self._service_network().network_address + 10)


@dataclass(frozen=True)
class NodeBootstrap:
    """One (pattern, level)'s bootstrap: who the node is and which controls are switched off."""

    pattern: Pattern
    level: int
    excluded: tuple[str, ...] = ()
    extra_labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def labels(self) -> dict[str, str]:
        return dict(sorted({**self.extra_labels, **node_labels(self.pattern, self.level)}.items()))


def render(node: NodeBootstrap, cluster: ClusterConnection) -> str:
    """The user data for one node group, as text (launch templates want it base64: see `encode`)."""
    renderers = {
        Bootstrap.NODEADM: _nodeadm,
        Bootstrap.BOOTSTRAP_SH: _bootstrap_sh,
        Bootstrap.BOTTLEROCKET_TOML: _bottlerocket,
    }
    return renderers[node.pattern.bootstrap](node, cluster)


def encode(user_data: str) -> str:
    return base64.b64encode(user_data.encode()).decode()


def _label_flag(labels: Mapping[str, str]) -> str:
    return "--node-labels=" + ",".join(f"{key}={value}" for key, value in labels.items())


def node_config(node: NodeBootstrap, cluster: ClusterConnection) -> dict:
    """The nodeadm NodeConfig document (AL2023)."""
    return {
        "apiVersion": NODECONFIG_API_VERSION,
        "kind": "NodeConfig",
        "spec": {
            "cluster": {
                "name": cluster.name,
                "apiServerEndpoint": cluster.api_server_endpoint,
                "certificateAuthority": cluster.certificate_authority,
                "cidr": cluster.service_cidr,
            },
            "kubelet": {"flags": [_label_flag(node.labels)]},
        },
    }


def _nodeadm(node: NodeBootstrap, cluster: ClusterConnection) -> str:
    config_part = MIMENonMultipart(*NODECONFIG_MEDIA_TYPE.split("/"))
    config_part.set_payload(yaml.safe_dump(node_config(node, cluster), sort_keys=False))
    parts = [config_part]
    if node.pattern.extra_bootstrap:
        parts.append(_shell_part(node.pattern.extra_bootstrap))
    return _multipart(parts)


def bootstrap_sh_arguments(node: NodeBootstrap, cluster: ClusterConnection) -> list[str]:
    """Arguments to /etc/eks/bootstrap.sh (AL2): everything given, so it never calls DescribeCluster."""
    arguments = [
        cluster.name,
        "--apiserver-endpoint", cluster.api_server_endpoint,
        "--b64-cluster-ca", cluster.certificate_authority,
        "--ip-family", cluster.ip_family,
        "--dns-cluster-ip", cluster.cluster_dns_ip,
    ]
    if cluster.ip_family == "ipv6":
        arguments += ["--service-ipv6-cidr", cluster.service_cidr]
    arguments += ["--kubelet-extra-args", _label_flag(node.labels)]
    return arguments


def _bootstrap_sh(node: NodeBootstrap, cluster: ClusterConnection) -> str:
    command = shlex.join([BOOTSTRAP_SH, *bootstrap_sh_arguments(node, cluster)])
    return _multipart([_shell_part((*node.pattern.extra_bootstrap, command))])


def _bottlerocket(node: NodeBootstrap, cluster: ClusterConnection) -> str:
    # Imported here: the Bottlerocket settings module is large and only this style needs it.
    from hardening import bottlerocket

    return bottlerocket.user_data(
        node.level,
        node.excluded,
        bottlerocket.BottlerocketCluster(
            name=cluster.name,
            api_server_endpoint=cluster.api_server_endpoint,
            certificate_authority=cluster.certificate_authority,
            cluster_dns_ip=cluster.cluster_dns_ip,
            ip_family=cluster.ip_family,
            vpc_cidr=cluster.vpc_cidr,
            node_labels=node.labels,
        ),
    )


def _shell_part(lines: Sequence[str]) -> MIMENonMultipart:
    part = MIMENonMultipart("text", "x-shellscript", charset="us-ascii")
    part.set_payload("\n".join((*SHELL_PREAMBLE, *lines)) + "\n")
    return part


def _multipart(parts: Sequence[MIMENonMultipart]) -> str:
    message = MIMEMultipart("mixed", boundary=MIME_BOUNDARY)
    for part in parts:
        del part["MIME-Version"]  # only the outer document carries it
        message.attach(part)
    return message.as_string()

"""Bottlerocket node user data (TOML settings), generated from structured data and the control catalogue.

Level 1 joins the cluster with stock settings. Level 2 adds the catalogue's `setting` controls and the bootstrap
container that installs the host firewall. Output is deterministic: keys sorted, no timestamps, no randomness.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import tomli_w

from hardening.bottlerocket import catalog, firewall

# Name of the bootstrap container in settings.bootstrap-containers (and of its systemd unit on the node).
FIREWALL_CONTAINER = "cis-firewall"

# The image that runs the firewall script, in ONE place. None: Bottlerocket's own default bootstrap container
# (bottlerocket-os/bottlerocket-bootstrap-container, available since Bottlerocket 1.35): each OS release fixes
# its tag and pulls it from the regional ECR repository the OS already trusts, so nodes need no public registry
# and no image build. Its entrypoint executes the container's `user-data` as a script. To run an image of your
# own instead (for example a copy in your ECR), set a reference pinned by digest: <registry>/<repo>@sha256:<hex>.
BOOTSTRAP_IMAGE: str | None = None

_DIGEST_PINNED = re.compile(r"^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$")
IP_FAMILIES = ("ipv4", "ipv6")


@dataclass(frozen=True)
class BottlerocketCluster:
    """What a Bottlerocket node needs to know about its cluster and network."""

    name: str
    api_server_endpoint: str  # https://...
    certificate_authority: str  # base64 PEM bundle, as EKS returns it
    vpc_cidr: str  # primary IPv4 CIDR: the VPC DNS resolver is its base address + 2
    ip_family: str = "ipv4"
    cluster_dns_ip: str | None = None  # None: Bottlerocket derives it from the service CIDR
    node_labels: Mapping[str, str] = field(default_factory=dict)
    vpc_ipv6_cidr: str | None = None  # IPv6 clusters: narrows who may reach the kubelet
    node_port_cidrs: tuple[str, ...] = ()  # sources allowed to NodePorts and LB health checks (level 2); () = none

    def __post_init__(self) -> None:
        problems = []
        if not self.name:
            problems.append("name is empty")
        if not self.api_server_endpoint.startswith("https://"):
            problems.append(f"api_server_endpoint {self.api_server_endpoint!r} must start with https://")
        try:
            base64.b64decode(self.certificate_authority, validate=True)
        except ValueError:
            problems.append("certificate_authority is not base64")
        if self.ip_family not in IP_FAMILIES:
            problems.append(f"ip_family {self.ip_family!r} must be one of {IP_FAMILIES}")
        for label, value, version in (("vpc_cidr", self.vpc_cidr, 4), ("vpc_ipv6_cidr", self.vpc_ipv6_cidr, 6)):
            if value is not None and not _is_network(value, version):
                problems.append(f"{label} {value!r} is not an IPv{version} CIDR")
        for cidr in self.node_port_cidrs:
            if not (_is_network(cidr, 4) or _is_network(cidr, 6)):
                problems.append(f"node_port_cidrs entry {cidr!r} is not a CIDR")
        if self.cluster_dns_ip is not None:
            try:
                ipaddress.ip_address(self.cluster_dns_ip)
            except ValueError:
                problems.append(f"cluster_dns_ip {self.cluster_dns_ip!r} is not an IP address")
        if problems:
            raise ValueError("BottlerocketCluster: " + "; ".join(problems))


def _is_network(value: str, version: int) -> bool:
    try:
        return ipaddress.ip_network(value).version == version
    except ValueError:
        return False


def _put(tree: dict[str, Any], path: Sequence[str], value: Any, owner: str) -> None:
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise RuntimeError(f"{owner}: settings.{'.'.join(path)} collides with a value")
    if path[-1] in node and node[path[-1]] != value:
        raise RuntimeError(f"{owner}: settings.{'.'.join(path)} is already {node[path[-1]]!r}")
    node[path[-1]] = value


def _get(tree: Mapping[str, Any], path: Sequence[str]) -> Any:
    node: Any = tree
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _sorted(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _sorted(value[k]) for k in sorted(value)}
    return value


def firewall_inputs(cluster: BottlerocketCluster) -> firewall.FirewallInputs:
    return firewall.FirewallInputs(
        ip_family=cluster.ip_family,
        vpc_cidr=cluster.vpc_cidr,
        vpc_ipv6_cidr=cluster.vpc_ipv6_cidr,
        node_port_cidrs=tuple(cluster.node_port_cidrs),
    )


def settings(level: int, excluded: Sequence[str], cluster: BottlerocketCluster,
             bootstrap_image: str | None = BOOTSTRAP_IMAGE) -> dict[str, Any]:
    """The `settings` tree of a node of `level` (level 2 includes level 1)."""
    if bootstrap_image is not None and not _DIGEST_PINNED.match(bootstrap_image):
        raise ValueError(f"bootstrap image {bootstrap_image!r} must be pinned by digest "
                         "(<registry>/<repository>@sha256:<64 hex digits>)")
    tree: dict[str, Any] = {}
    kubernetes: dict[str, Any] = {
        "cluster-name": cluster.name,
        "api-server": cluster.api_server_endpoint,
        "cluster-certificate": cluster.certificate_authority,
    }
    if cluster.cluster_dns_ip:
        kubernetes["cluster-dns-ip"] = cluster.cluster_dns_ip
    if cluster.node_labels:
        kubernetes["node-labels"] = dict(cluster.node_labels)
    tree["kubernetes"] = kubernetes

    chosen = catalog.applied(level, excluded, cluster.ip_family)
    firewall_controls = [c.id for c in chosen if c.method(level).by == "bootstrap-container"]
    for control in chosen:
        for setting in control.method(level).settings:
            _put(tree, setting.path, setting.value, control.id)
    if firewall_controls:
        skipped = firewall.FIREWALL_CONTROLS - set(firewall_controls)
        script = firewall.script(firewall.rule_sets(firewall_inputs(cluster), skipped))
        container: dict[str, Any] = {
            "mode": "always",  # every boot: the rules live in the kernel, not on disk
            # A level-2 node without its firewall must not join the cluster.
            "essential": True,
            "user-data": base64.b64encode(script.encode()).decode(),
        }
        if bootstrap_image is not None:
            container["source"] = bootstrap_image
        tree["bootstrap-containers"] = {FIREWALL_CONTAINER: container}
    _check_stock_not_weakened(tree, level, excluded)
    return _sorted(tree)


def _check_stock_not_weakened(tree: Mapping[str, Any], level: int, excluded: Sequence[str]) -> None:
    """Stock and manual controls rely on values we never set; generated data that touches them is a bug."""
    for control in catalog.controls():
        method = control.method(level)
        if method is None or control.id in excluded:
            continue
        for expect in method.expects:
            found = _get(tree, expect.path)
            if found is None:
                continue
            if expect.value is None or found != expect.value:
                raise RuntimeError(f"user data sets {expect.dotted}={found!r}, weakening {control.id} "
                                   f"({control.title}) which the stock AMI meets")


def user_data(level: int, excluded: Sequence[str], cluster: BottlerocketCluster,
              bootstrap_image: str | None = BOOTSTRAP_IMAGE) -> str:
    """The node's user data: Bottlerocket TOML, deterministic for the same inputs."""
    header = (f"# hardened-eks: Bottlerocket node, CIS Bottlerocket v1.0.0 level {level}"
              f"{', excluded: ' + ', '.join(sorted(excluded)) if excluded else ''}\n")
    return header + tomli_w.dumps({"settings": settings(level, excluded, cluster, bootstrap_image)})

"""The level-2 host firewall of Bottlerocket nodes, as data: every rule says which chain, why, and for which control.

CIS Bottlerocket 3.4.1.1/3.4.2.1 ask for default deny on INPUT, FORWARD and OUTPUT, 3.4.1.2/3.4.2.2 for loopback
rules. Default deny on an EKS node must still let through what the node and its pods need; each allowance below
names the EKS component that needs it. The rules are rendered to `iptables-restore` input and shipped inside the
bootstrap container's script (firewall.sh), which installs them before the kubelet starts.

FORWARD: the kubelet of Bottlerocket's Kubernetes variants sets the IPv4 FORWARD policy to ACCEPT when it starts
(bottlerocket-core-kit#540). Our FORWARD chain explicitly accepts pod traffic, so whether the policy is DROP (our
setting) or ACCEPT (after the kubelet's reset) changes nothing for pods.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

CHAINS = ("INPUT", "FORWARD", "OUTPUT")
FAMILIES = ("ipv4", "ipv6")
# The control each part of the firewall serves, per address family.
DEFAULT_DENY = {"ipv4": "3.4.1.1", "ipv6": "3.4.2.1"}
LOOPBACK = {"ipv4": "3.4.1.2", "ipv6": "3.4.2.2"}
FIREWALL_CONTROLS = frozenset(DEFAULT_DENY.values()) | frozenset(LOOPBACK.values())

NODE_PORT_RANGE = "30000:32767"
KUBELET_PORT = "10250"
KUBE_PROXY_HEALTH_PORT = "10256"  # load balancer health checks (healthCheckNodePort is in the NodePort range)
VPC_CNI_METRICS_PORT = "61678"
POD_IDENTITY_PORTS = "80,2703"  # agent API and its health endpoint

# Link-local AWS services, per family (EC2 serves the IPv6 addresses on Nitro instances).
IMDS = {"ipv4": "169.254.169.254", "ipv6": "fd00:ec2::254"}
TIME_SYNC = {"ipv4": "169.254.169.123", "ipv6": "fd00:ec2::123"}
LINK_LOCAL_DNS = {"ipv4": "169.254.169.253", "ipv6": "fd00:ec2::253"}
POD_IDENTITY_AGENT = {"ipv4": "169.254.170.23", "ipv6": "fd00:ec2::23"}
LOOPBACK_NET = {"ipv4": "127.0.0.0/8", "ipv6": "::1/128"}
# Host-side interfaces of pods: VPC CNI veths (eni*) and, with security groups for pods, branch ENI veths (vlan*).
POD_INTERFACES = ("eni+", "vlan+")

SCRIPT_TEMPLATE = Path(__file__).with_name("firewall.sh")
_RULES_MARKER = "# @RULES@\n"


@dataclass(frozen=True)
class Rule:
    chain: str
    spec: tuple[str, ...]  # iptables arguments after `-A <chain>`
    reason: str
    control: str

    def line(self) -> str:
        return " ".join(("-A", self.chain, *self.spec))


@dataclass(frozen=True)
class RuleSet:
    family: str
    policies: dict[str, str]  # chain -> DROP | ACCEPT
    rules: tuple[Rule, ...]

    @property
    def tool(self) -> str:
        return "iptables" if self.family == "ipv4" else "ip6tables"

    def chain(self, name: str) -> list[Rule]:
        return [r for r in self.rules if r.chain == name]

    def restore_text(self) -> str:
        """`iptables-restore` input for the filter table; each rule preceded by its reason."""
        lines = [f"# hardened-eks {self.family} host firewall (CIS Bottlerocket v1.0.0 section 3.4)", "*filter"]
        lines += [f":{chain} {self.policies[chain]} [0:0]" for chain in CHAINS]
        for rule in self.rules:
            lines.append(f"# {rule.control}: {rule.reason}")
            lines.append(rule.line())
        lines.append("COMMIT")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class FirewallInputs:
    """What the rules depend on; everything else is fixed."""

    ip_family: str  # the cluster's: "ipv4" or "ipv6" (IPv6 clusters have dual-stack nodes)
    vpc_cidr: str  # primary IPv4 CIDR: the VPC resolver is its base address + 2
    vpc_ipv6_cidr: str | None = None  # narrows IPv6 kubelet/metrics sources when known
    node_port_cidrs: tuple[str, ...] = ()  # sources allowed to NodePorts and kube-proxy health; () = closed


def _accept(chain: str, control: str, reason: str, *spec: str) -> Rule:
    return Rule(chain, (*spec, "-j", "ACCEPT"), reason, control)


def _loopback_rules(family: str) -> list[Rule]:
    c = LOOPBACK[family]
    return [
        _accept("INPUT", c, "loopback: node agents talk over lo (ipamd gRPC, kubelet and kube-proxy health)",
                "-i", "lo"),
        _accept("OUTPUT", c, "loopback: node agents talk over lo", "-o", "lo"),
        Rule("INPUT", ("-s", LOOPBACK_NET[family], "-j", "DROP"),
             "loopback addresses arriving on any other interface are spoofed", c),
    ]


def _established(family: str) -> list[Rule]:
    c = DEFAULT_DENY[family]
    state = ("-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED")
    return [
        _accept(chain, c, f"{why} (3.4.{1 if family == 'ipv4' else 2}.3)", *state)
        for chain, why in (
            ("INPUT", "replies to connections the node opened, and their ICMP errors (path MTU discovery)"),
            ("FORWARD", "replies of pod connections"),
            ("OUTPUT", "replies of connections to the node (kubelet, NodePorts)"),
        )
    ]


def _pod_forwarding(family: str) -> list[Rule]:
    c = DEFAULT_DENY[family]
    rules = []
    for iface in POD_INTERFACES:
        rules.append(_accept("FORWARD", c, f"pod egress: traffic from pods' host-side interfaces ({iface})",
                             "-i", iface))
        rules.append(_accept("FORWARD", c, f"traffic to local pods ({iface}), including NodePort and load "
                             "balancer traffic kube-proxy DNATs to them", "-o", iface))
        rules.append(_accept("OUTPUT", c, f"node to local pods ({iface}): kubelet probes and hostNetwork clients",
                             "-o", iface))
    return rules


def _ndp_dhcp6() -> list[Rule]:
    c = DEFAULT_DENY["ipv6"]
    rules = []
    # A node is a host, not a router: it receives router advertisements and sends solicitations.
    for chain, kinds in (("INPUT", ("router-advertisement", "neighbour-solicitation", "neighbour-advertisement")),
                         ("OUTPUT", ("router-solicitation", "neighbour-solicitation", "neighbour-advertisement"))):
        for kind in kinds:
            rules.append(_accept(chain, c, f"IPv6 neighbour discovery ({kind}): without it IPv6 stops working",
                                 "-p", "ipv6-icmp", "-m", "icmp6", "--icmpv6-type", kind))
    rules.append(_accept("INPUT", c, "DHCPv6 replies: the ENI's IPv6 address lease", "-p", "udp", "-s", "fe80::/10",
                         "--sport", "547", "--dport", "546"))
    rules.append(_accept("OUTPUT", c, "DHCPv6 requests and renewals", "-p", "udp", "--sport", "546", "--dport", "547"))
    return rules


def _node_services(family: str, inputs: FirewallInputs) -> list[Rule]:
    """What EKS needs on a node of this family beyond loopback, replies and pod forwarding."""
    c = DEFAULT_DENY[family]
    if family == "ipv4":
        vpc: tuple[str, ...] = ("-s", inputs.vpc_cidr)
        resolver = str(ipaddress.ip_network(inputs.vpc_cidr).network_address + 2)
    else:
        vpc = ("-s", inputs.vpc_ipv6_cidr) if inputs.vpc_ipv6_cidr else ()
        resolver = None
    rules = []
    if family == "ipv4":
        rules.append(_accept("INPUT", c, "DHCP replies: the ENI's address lease renewals", "-p", "udp",
                             "--sport", "67", "--dport", "68"))
        rules.append(_accept("OUTPUT", c, "DHCP requests and renewals", "-p", "udp", "--sport", "68", "--dport", "67"))
    rules += [
        _accept("INPUT", c, "kubelet API: kubectl logs/exec/port-forward from the EKS control plane ENIs, "
                "metrics-server", "-p", "tcp", *vpc, "--dport", KUBELET_PORT),
        _accept("INPUT", c, "VPC CNI (ipamd) metrics scraped from the VPC", "-p", "tcp", *vpc,
                "--dport", VPC_CNI_METRICS_PORT),
        _accept("INPUT", c, "EKS Pod Identity agent: pods fetch credentials from it (blocking it breaks "
                "Pod Identity)", "-p", "tcp", "-d", POD_IDENTITY_AGENT[family], "-m", "multiport",
                "--dports", POD_IDENTITY_PORTS),
    ]
    for cidr in inputs.node_port_cidrs:
        if ipaddress.ip_network(cidr).version != (4 if family == "ipv4" else 6):
            continue
        for proto in ("tcp", "udp"):
            rules.append(_accept("INPUT", c, f"NodePort services ({proto}) for {cidr}", "-p", proto, "-s", cidr,
                                 "--dport", NODE_PORT_RANGE))
        rules.append(_accept("INPUT", c, f"kube-proxy health for load balancer health checks from {cidr}",
                             "-p", "tcp", "-s", cidr, "--dport", KUBE_PROXY_HEALTH_PORT))
    dns_servers = [s for s in (resolver, LINK_LOCAL_DNS[family]) if s]
    for server in dns_servers:
        for proto in ("udp", "tcp"):
            rules.append(_accept("OUTPUT", c, f"DNS to the VPC resolver {server} ({proto})", "-p", proto,
                                 "-d", server, "--dport", "53"))
    rules += [
        _accept("OUTPUT", c, "Amazon Time Sync Service for chronyd (2.1.1.1)", "-p", "udp",
                "-d", TIME_SYNC[family], "--dport", "123"),
        _accept("OUTPUT", c, "instance metadata (IMDSv2): credentials, ENI and bootstrap data", "-p", "tcp",
                "-d", IMDS[family], "--dport", "80"),
        _accept("OUTPUT", c, "EKS Pod Identity agent, for hostNetwork pods", "-p", "tcp",
                "-d", POD_IDENTITY_AGENT[family], "-m", "multiport", "--dports", POD_IDENTITY_PORTS),
        _accept("OUTPUT", c, "HTTPS: the EKS API server and AWS endpoints (EC2 for the VPC CNI, ECR and S3 for "
                "images, SSM, STS, EKS Auth); their addresses are not fixed", "-p", "tcp", "--dport", "443"),
    ]
    return rules


def rule_set(family: str, inputs: FirewallInputs, excluded: Iterable[str] = ()) -> RuleSet | None:
    """The rules of one address family; None when both of its controls are excluded."""
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, got {family!r}")
    skip = set(excluded)
    deny = DEFAULT_DENY[family] not in skip
    loopback = LOOPBACK[family] not in skip
    if not deny and not loopback:
        return None
    rules: list[Rule] = _loopback_rules(family) if loopback else []
    if deny:
        rules += _established(family)
        if family == "ipv6":
            rules += _ndp_dhcp6()
        # An IPv4 cluster's nodes use IPv6 only link-locally: nothing else to allow there.
        if family == "ipv4" or inputs.ip_family == "ipv6":
            rules += _node_services(family, inputs) + _pod_forwarding(family)
    policy = "DROP" if deny else "ACCEPT"
    return RuleSet(family, dict.fromkeys(CHAINS, policy), tuple(rules))


def rule_sets(inputs: FirewallInputs, excluded: Iterable[str] = ()) -> list[RuleSet]:
    excluded = tuple(excluded)
    return [rs for family in FAMILIES if (rs := rule_set(family, inputs, excluded)) is not None]


def script(sets: Sequence[RuleSet]) -> str:
    """The bootstrap container's script: firewall.sh with the rule sets embedded as quoted here-documents."""
    template = SCRIPT_TEMPLATE.read_text()
    if template.count(_RULES_MARKER) != 1:
        raise RuntimeError(f"{SCRIPT_TEMPLATE.name} must contain the line {_RULES_MARKER.strip()!r} once")
    blocks = []
    for rs in sets:
        body = rs.restore_text()
        if "HE_RULES" in body:
            raise ValueError("rule text must not contain the here-document delimiter")
        blocks.append(f"install_rules {rs.tool} <<'HE_RULES'\n{body}HE_RULES\n")
    return template.replace(_RULES_MARKER, "".join(blocks))

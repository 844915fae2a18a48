"""The pattern registry: every fact about a pattern lives here and nowhere else.

A pattern is a way to get a CIS-hardened EKS node: where its source AMI comes from, which
benchmark it is measured against, how it is hardened (build method) and how the node joins
the cluster (bootstrap style). Components, the hardening matrix, validation and the report
all read from this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

ARCHITECTURES = ("x86_64", "arm64")
LEVELS = (1, 2)
IP_FAMILIES = ("ipv4", "ipv6")

# Oldest and newest Kubernetes minor versions EKS offers (standard or extended support) that this
# program knows; a version outside this range is rejected instead of failing deep inside AWS.
EKS_KUBERNETES_VERSIONS = ("1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35")


class BuildMethod(StrEnum):
    """How a hardened AMI is produced."""

    HARDEN_EKS_OPTIMIZED = "harden-eks-optimized"  # method 1: EKS-optimized AMI + our remediation
    EKS_ON_CIS_AMI = "eks-on-cis-ami"  # method 2: CIS Marketplace AMI + EKS node components
    STOCK_SETTINGS = "stock-settings"  # no AMI build: stock AMI hardened by settings (Bottlerocket)


class Bootstrap(StrEnum):
    """How user data makes a node join the cluster."""

    NODEADM = "nodeadm"  # AL2023: MIME multi-part with a NodeConfig
    BOOTSTRAP_SH = "bootstrap.sh"  # AL2: /etc/eks/bootstrap.sh
    BOTTLEROCKET_TOML = "bottlerocket-toml"  # Bottlerocket settings


@dataclass(frozen=True)
class Benchmark:
    key: str
    title: str
    version: str

    @property
    def label(self) -> str:
        return f"{self.title} {self.version}"


BENCHMARKS: dict[str, Benchmark] = {
    b.key: b
    for b in (
        Benchmark("al2023", "CIS Amazon Linux 2023 Benchmark", "v1.0.0"),
        Benchmark("al2", "CIS Amazon Linux 2 Benchmark", "v3.0.0"),
        Benchmark("bottlerocket", "CIS Bottlerocket Benchmark", "v1.0.0"),
    )
}


@dataclass(frozen=True)
class SsmParameterSource:
    """A public SSM parameter holding the newest AMI id; `{k8s}` and `{arch}` are filled in."""

    templates: dict[str, str]  # architecture -> parameter name template

    def parameter_name(self, kubernetes_version: str, architecture: str) -> str:
        return self.templates[architecture].format(k8s=kubernetes_version, arch=architecture)


@dataclass(frozen=True)
class MarketplaceSource:
    """The newest AWS Marketplace AMI whose name matches a product's filter, per level.

    Every Marketplace seller's images are owned by the same `aws-marketplace` alias, so a name prefix alone
    could match another seller's product; a product code pins the seller's product. A level without a code
    here is looked up by owner and name only (the plan shows the product code it found).
    """

    owner: str
    products: dict[int, str]  # level -> Marketplace product name (also the AMI name prefix)
    product_codes: dict[int, str] = field(default_factory=dict)  # level -> Marketplace product code

    def name_filter(self, level: int) -> str:
        return f"{self.products[level]}*"


@dataclass(frozen=True)
class Pattern:
    name: str
    description: str
    method: BuildMethod
    os_family: str  # "al2023" | "al2" | "bottlerocket"
    benchmark: Benchmark
    levels: tuple[int, ...]
    architectures: tuple[str, ...]
    source: SsmParameterSource | MarketplaceSource
    bootstrap: Bootstrap
    max_kubernetes_version: str | None = None  # None: every version EKS offers
    max_kubernetes_reason: str = "EKS publishes no newer AMIs for it"
    # Shell lines run before the node joins, for bases whose own hardening would block EKS
    # (a CIS AMI's host firewall drops kubelet 10250 and forwarded pod traffic).
    extra_bootstrap: tuple[str, ...] = ()
    # Every EBS device a node of this OS boots with; the node launch template encrypts each one.
    ebs_devices: tuple[str, ...] = ("/dev/xvda",)
    # Method 2: per level, the controls the EKS install can undo on the CIS image; the build applies them again
    # with our content afterwards (new set-uid programs need privileged-command audit rules; SELinux must stay
    # enforcing, with container-selinux, which the EKS install does not bring).
    eks_install_controls: dict[int, tuple[str, ...]] = field(default_factory=dict)

    @property
    def builds_ami(self) -> bool:
        return self.method is not BuildMethod.STOCK_SETTINGS

    def supports_kubernetes(self, version: str) -> bool:
        if self.max_kubernetes_version is None:
            return True
        return _minor(version) <= _minor(self.max_kubernetes_version)


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


_EKS_AL2023_SSM = SsmParameterSource(
    {arch: "/aws/service/eks/optimized-ami/{k8s}/amazon-linux-2023/{arch}/standard/recommended/image_id"
     for arch in ARCHITECTURES}
)
_EKS_AL2_SSM = SsmParameterSource(
    {
        "x86_64": "/aws/service/eks/optimized-ami/{k8s}/amazon-linux-2/recommended/image_id",
        "arm64": "/aws/service/eks/optimized-ami/{k8s}/amazon-linux-2-arm64/recommended/image_id",
    }
)
_BOTTLEROCKET_SSM = SsmParameterSource(
    {arch: "/aws/service/bottlerocket/aws-k8s-{k8s}/{arch}/latest/image_id" for arch in ARCHITECTURES}
)

# CIS hardened images are sold through AWS Marketplace; their AMIs are owned by the Marketplace alias.
_MARKETPLACE_OWNER = "aws-marketplace"

# On CIS images the host firewall is active and drops what EKS needs. Open exactly that, in
# whichever firewall front end is present: kubelet (10250) for logs/exec, and forwarded pod traffic.
_CIS_FIREWALL_OPENINGS = (
    "if command -v iptables >/dev/null 2>&1; then"
    " iptables -C INPUT -p tcp --dport 10250 -j ACCEPT 2>/dev/null"
    " || iptables -I INPUT -p tcp --dport 10250 -j ACCEPT; fi",
    "if command -v nft >/dev/null 2>&1 && nft list chain inet filter input >/dev/null 2>&1; then"
    " nft add rule inet filter input tcp dport 10250 accept;"
    " nft chain inet filter forward '{ policy accept; }'; fi",
    "sysctl -w net.ipv4.ip_forward=1",
)

KUBERNETES_MAX_AL2 = "1.32"  # EKS publishes no Amazon Linux 2 AMIs after 1.32
# Method 2 installs the node components with the build scripts of one amazon-eks-ami release
# (hardened_eks/ami_build/spec.py EKS_AMI_RELEASES); v20250920 builds Amazon Linux 2023 nodes up to 1.34.
KUBERNETES_MAX_EKS_AMI_RELEASE_AL2023 = "1.34"

PATTERNS: dict[str, Pattern] = {
    p.name: p
    for p in (
        Pattern(
            name="eks-optimized-al2023",
            description="EKS-optimized Amazon Linux 2023 AMI hardened by our CIS content",
            method=BuildMethod.HARDEN_EKS_OPTIMIZED,
            os_family="al2023",
            benchmark=BENCHMARKS["al2023"],
            levels=LEVELS,
            architectures=ARCHITECTURES,
            source=_EKS_AL2023_SSM,
            bootstrap=Bootstrap.NODEADM,
        ),
        Pattern(
            name="eks-optimized-al2",
            description="EKS-optimized Amazon Linux 2 AMI hardened by our CIS content",
            method=BuildMethod.HARDEN_EKS_OPTIMIZED,
            os_family="al2",
            benchmark=BENCHMARKS["al2"],
            levels=LEVELS,
            architectures=ARCHITECTURES,
            source=_EKS_AL2_SSM,
            bootstrap=Bootstrap.BOOTSTRAP_SH,
            max_kubernetes_version=KUBERNETES_MAX_AL2,
        ),
        Pattern(
            name="cis-al2023",
            description="CIS hardened Amazon Linux 2023 Marketplace AMI with EKS node components added",
            method=BuildMethod.EKS_ON_CIS_AMI,
            os_family="al2023",
            benchmark=BENCHMARKS["al2023"],
            levels=LEVELS,
            architectures=ARCHITECTURES,
            source=MarketplaceSource(
                owner=_MARKETPLACE_OWNER,
                products={
                    1: "CIS Amazon Linux 2023 Benchmark - Level 1",
                    2: "CIS Amazon Linux 2023 Benchmark - Level 2",
                },
            ),
            bootstrap=Bootstrap.NODEADM,
            max_kubernetes_version=KUBERNETES_MAX_EKS_AMI_RELEASE_AL2023,
            max_kubernetes_reason="the pinned amazon-eks-ami release v20250920 installs node components up to it",
            extra_bootstrap=_CIS_FIREWALL_OPENINGS,
            eks_install_controls={1: (), 2: ("1.6.1.5", "5.2.3.6")},
        ),
        Pattern(
            name="cis-al2",
            description="CIS hardened Amazon Linux 2 Marketplace AMI with EKS node components added",
            method=BuildMethod.EKS_ON_CIS_AMI,
            os_family="al2",
            benchmark=BENCHMARKS["al2"],
            levels=LEVELS,
            architectures=("x86_64",),
            source=MarketplaceSource(
                owner=_MARKETPLACE_OWNER,
                products={
                    1: "CIS Amazon Linux 2 Kernel 5.10 Benchmark - Level 1",
                    2: "CIS Amazon Linux 2 Benchmark - Level 2",
                },
            ),
            # The two products differ: level 1 ships kernel 5.10, level 2 the older AL2 kernel line. Method 2
            # installs the kernel amazon-eks-ami builds AL2 nodes with (upgrade-kernel.sh: 5.10) and reboots into
            # it, so both levels' nodes run the same kernel line.
            bootstrap=Bootstrap.BOOTSTRAP_SH,
            max_kubernetes_version=KUBERNETES_MAX_AL2,
            extra_bootstrap=_CIS_FIREWALL_OPENINGS,
            # AL2 5.2.3.6 (privileged commands) is a manual recommendation, so only SELinux is re-applied.
            eks_install_controls={1: (), 2: ("1.5.1.5",)},
        ),
        Pattern(
            name="bottlerocket",
            description="Stock Bottlerocket; level 1 as shipped, level 2 through settings and a bootstrap container",
            method=BuildMethod.STOCK_SETTINGS,
            os_family="bottlerocket",
            benchmark=BENCHMARKS["bottlerocket"],
            levels=LEVELS,
            architectures=ARCHITECTURES,
            source=_BOTTLEROCKET_SSM,
            bootstrap=Bootstrap.BOTTLEROCKET_TOML,
            ebs_devices=("/dev/xvda", "/dev/xvdb"),  # OS volume and data volume (images, containers)
        ),
    )
}


def patterns_for_benchmark(benchmark: str) -> list[Pattern]:
    return [p for p in PATTERNS.values() if p.benchmark.key == benchmark]

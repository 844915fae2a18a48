"""Read and validate the stack configuration once, before any resource is registered.

Every problem is collected and reported together; each message names the key, the bad value and
what is allowed. Values arrive as Pulumi stores them: strings, with objects and lists as JSON.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import hardening
from hardened_eks.patterns import (
    ARCHITECTURES,
    EKS_KUBERNETES_VERSIONS,
    IP_FAMILIES,
    PATTERNS,
    MarketplaceSource,
    Pattern,
)
from policy.rules import internet_covered

NAMESPACE = "hardened-eks"

DEFAULT_INSTANCE_TYPES = {"x86_64": "m6i.large", "arm64": "m7g.large"}
# CloudWatch Logs accepts only these retention periods.
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
                      3288, 3653)
NAT_GATEWAY_MODES = ("single", "perAz")

# re.ASCII throughout: without it \d and \w also match other scripts' digits and letters (a full-width
# digits in an account id), which AWS refuses.
_AMI_ID = re.compile(r"^ami-[0-9a-f]{8,17}$", re.ASCII)
_PRODUCT_CODE = re.compile(r"^[a-z0-9]{25}$", re.ASCII)
_ACCOUNT_ID = re.compile(r"^\d{12}$", re.ASCII)
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$", re.ASCII)
_IAM_PRINCIPAL = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+$", re.ASCII)
# What `aws sts get-caller-identity` prints for a role session; EKS access entries refuse it.
_STS_SESSION = re.compile(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([\w+=,.@-]+)/[\w+=,.@-]+$", re.ASCII)
_KMS_KEY = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[\w/-]+$", re.ASCII)
_SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8,17}$")
_VPC_ID = re.compile(r"^vpc-[0-9a-f]{8,17}$")
_K8S_VERSION = re.compile(r"^(\d+)\.(\d+)$", re.ASCII)
_WHOLE_NUMBER = re.compile(r"^-?[0-9]+$")
# EC2 instance family: letters, generation digit(s), then attribute letters (m7g, c7gn, is4gen, u-6tb1, m7i-flex).
_INSTANCE_FAMILY = re.compile(r"^([a-z]+-?)([0-9]+)([a-z0-9-]*)$")
_HOST_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_HOST_LABEL}(\.{_HOST_LABEL})*$")

# The control that forwards rsyslog to the site's log host, per benchmark whose script implements it. Without
# hardened-eks:remoteLogHost it is excluded automatically (apply would stop there: it has nowhere to forward).
REMOTE_LOG_HOST_CONTROLS = {"al2023": "5.1.1.6", "al2": "5.1.1.6"}
AUTOMATIC_EXCLUSION_REASON = ("automatic: no site log host; set hardened-eks:remoteLogHost to forward rsyslog "
                              "there and apply it")
CONFIG_EXCLUSION_REASON = "stack config (hardened-eks:exclusions)"
NO_REASON_GIVEN = "no reason given"
MAX_EXCLUSION_REASON = 300
# AWS tag limits: 50 tags per resource (ours and the user's), keys up to 128 and values up to 256 characters of
# letters, digits, spaces and _ . : / = + - @.
MAX_TAGS_PER_RESOURCE = 50
# Tags others set beside the user's on a node group's resources: ours (hardened_eks.tags.node_tags: 8, and Name)
# and EKS's on the instances and Auto Scaling group of a managed node group (eks:cluster-name, eks:nodegroup-name,
# kubernetes.io/cluster/<name>, k8s.io/cluster-autoscaler/enabled and /<name>). aws: tags do not count.
OWN_TAGS = 14
MAX_TAG_KEY, MAX_TAG_VALUE = 128, 256
_TAG_PUNCTUATION = set("_.:/=+-@")


class ConfigError(Exception):
    """One or more stack configuration problems, all reported together."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"invalid stack configuration ({len(problems)} problem(s)):\n{lines}")


@dataclass(frozen=True)
class PatternSelection:
    pattern: Pattern
    levels: tuple[int, ...]


@dataclass(frozen=True)
class NodeGroupSize:
    min_size: int = 1
    desired_size: int = 2
    max_size: int = 3


@dataclass(frozen=True)
class ExistingVpc:
    vpc_id: str
    private_subnet_ids: tuple[str, ...]
    public_subnet_ids: tuple[str, ...]


@dataclass(frozen=True)
class StackConfig:
    stack: str
    region: str
    kubernetes_version: str
    patterns: tuple[PatternSelection, ...]
    exclusions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # (benchmark, control id) -> the reason the stack file gives (`{id: ..., reason: ...}`); plain ids have none.
    exclusion_reasons: Mapping[tuple[str, str], str] = field(default_factory=dict)
    architecture: str = "x86_64"
    ip_family: str = "ipv4"
    instance_type: str = "m6i.large"
    node_group_size: NodeGroupSize = NodeGroupSize()
    vpc_cidr: str = "10.0.0.0/16"
    availability_zone_count: int = 3
    nat_gateways: str = "single"
    existing_vpc: ExistingVpc | None = None
    endpoint_public_access: bool = True
    public_access_cidrs: tuple[str, ...] = ()
    private_access_cidrs: tuple[str, ...] = ()
    admin_principals: tuple[str, ...] = ()
    kms_keys: Mapping[str, str] = field(default_factory=dict)
    ami_regions: tuple[str, ...] = ()
    ami_share_accounts: tuple[str, ...] = ()
    source_amis: Mapping[tuple[str, int], str] = field(default_factory=dict)
    # Marketplace product codes pinned per (pattern, level): the CIS image lookup filters on them.
    source_product_codes: Mapping[tuple[str, int], str] = field(default_factory=dict)
    ami_retention: int = 2
    ami_only: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    log_retention_days: int = 90
    enable_inspector: bool = False
    inspector_scans: bool = True
    inspector_scan_timeout_minutes: int = 120
    strict_workload_tests: bool = False
    node_audit: bool = True  # a live node audit DaemonSet per Amazon Linux node group
    node_audit_schedule: str = "@daily"  # cron (UTC) of the node audit
    remote_log_host: str | None = None  # HOST[:PORT] or [IPV6][:PORT] of the site's syslog collector
    # Keys owned by the pipeline (compliance gate, vulnerability policy); validated there.
    extra: Mapping[str, Any] = field(default_factory=dict)

    def node_groups(self) -> list[tuple[Pattern, int]]:
        """Every selected (pattern, level), in config order."""
        return [(sel.pattern, level) for sel in self.patterns for level in sel.levels]

    def amis_to_build(self) -> list[tuple[Pattern, int]]:
        return [(p, level) for p, level in self.node_groups() if p.builds_ami]

    def excluded(self, benchmark: str) -> tuple[str, ...]:
        """What the benchmark's profile leaves out: the configured exclusions plus the automatic ones."""
        return tuple(sorted({*self.exclusions.get(benchmark, ()), *self.automatic_exclusions(benchmark)},
                            key=_id_key))

    def automatic_exclusions(self, benchmark: str) -> tuple[str, ...]:
        control = REMOTE_LOG_HOST_CONTROLS.get(benchmark)
        return (control,) if control and not self.remote_log_host else ()

    def all_exclusions(self) -> dict[str, tuple[str, ...]]:
        """excluded() of every benchmark a selected pattern uses (and of any configured one)."""
        benchmarks = {p.benchmark.key for p, _ in self.node_groups()} | set(self.exclusions)
        return {b: self.excluded(b) for b in sorted(benchmarks) if self.excluded(b)}

    def exclusion_reason(self, benchmark: str, control_id: str) -> str:
        if control_id in self.exclusions.get(benchmark, ()):
            return f"{CONFIG_EXCLUSION_REASON}: {self.configured_reason(benchmark, control_id)}"
        return AUTOMATIC_EXCLUSION_REASON

    def configured_reason(self, benchmark: str, control_id: str) -> str:
        """The reason the stack file gives for excluding a control, or "no reason given" for a plain id."""
        return self.exclusion_reasons.get((benchmark, control_id)) or NO_REASON_GIVEN

    def exclusion_origin(self, benchmark: str, control_id: str) -> str:
        """The short form of exclusion_reason, for one-line listings."""
        if control_id in self.exclusions.get(benchmark, ()):
            return "config"
        return "automatic: no hardened-eks:remoteLogHost"

    def site_controls(self, benchmark: str) -> tuple[str, ...]:
        """The benchmark's controls that only a site value meets and that this stack applies."""
        control = REMOTE_LOG_HOST_CONTROLS.get(benchmark)
        return (control,) if control and self.remote_log_host else ()

    def hardening_settings(self) -> dict[str, str]:
        """Site values for `cis-harden.sh apply --set NAME=VALUE`."""
        return {"remote-log-host": self.remote_log_host} if self.remote_log_host else {}

    def source_ami(self, pattern: str, level: int) -> str | None:
        return self.source_amis.get((pattern, level))


class _Reader:
    """Pulls typed values out of the raw config, recording problems instead of raising."""

    def __init__(self, raw: Mapping[str, str]):
        self.raw = raw
        self.problems: list[str] = []

    def fail(self, key: str, value: Any, allowed: str) -> None:
        self.problems.append(f"{_qualify(key)}: {_show(value)} is not valid; {allowed}")

    def value(self, key: str, default: Any = None, parse_json: bool = False) -> Any:
        """The value (parsed from JSON if asked); text with spaces or line breaks around it is refused (and read
        without them, so one mistake is reported once)."""
        full = _qualify(key)
        # The Pulumi CLI hands a YAML `null` (or empty) value to the program as "" (pulumi/pulumi#19483), and
        # hardened_eks.stack_file leaves the key out: both mean "unset", never the text "" or "None".
        if self.raw.get(full, "") == "":
            return default
        value = self.raw[full]
        if parse_json and isinstance(value, str):
            try:
                value = json.loads(value)
            except (json.JSONDecodeError, RecursionError):
                self.fail(key, value, "expected a YAML list or mapping")
                return default
        return self._trimmed(key, value)

    def _trimmed(self, where: str, value: Any) -> Any:
        if isinstance(value, str):
            if value != value.strip():
                self.fail(where, value, "remove the spaces or line breaks before or after the text")
            return value.strip()
        if isinstance(value, list):
            return [self._trimmed(f"{where}[{index}]", item) for index, item in enumerate(value)]
        if isinstance(value, dict):
            return {self._trimmed(f"{where} key", k) if isinstance(k, str) else k: self._trimmed(f"{where}.{k}", v)
                    for k, v in value.items()}
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.value(key)
        if value is None:
            return default
        text = str(value).strip().lower()
        if text in ("true", "false"):
            return text == "true"
        self.fail(key, value, "allowed: true or false")
        return default

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.value(key)
        if value is None:
            return default
        # ASCII digits only: int() would also take full-width digits and "1_0".
        number = int(str(value)) if _WHOLE_NUMBER.match(str(value)) else None
        if number is None or not low <= number <= high:
            self.fail(key, value, f"allowed: a whole number from {low} to {high}")
            return default
        return number

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.value(key)
        if value is None:
            return default
        if value not in allowed:
            self.fail(key, value, f"allowed: {', '.join(allowed)}")
            return default
        return value

    def string_list(self, key: str, check: Callable[[str], bool], allowed: str) -> tuple[str, ...]:
        value = self.value(key, [], parse_json=True)
        if not isinstance(value, list):
            self.fail(key, value, "expected a list")
            return ()
        good = []
        for index, item in enumerate(value):
            if isinstance(item, str) and check(item):
                good.append(item)
            else:
                self.fail(f"{key}[{index}]", item, allowed)
        if len(set(good)) != len(good):
            self.fail(key, value, "entries must not repeat")
        return tuple(good)


def _qualify(key: str) -> str:
    # Only the key's first part says whether it has a namespace: `tags["aws:owner"]` is hardened-eks:tags.
    return key if ":" in re.split(r"[.\[ ]", key, maxsplit=1)[0] else f"{NAMESPACE}:{key}"


def _show(value: Any) -> str:
    return json.dumps(value) if not isinstance(value, str) else repr(value)


def _did_you_mean(word: str, choices: Any) -> str:
    """" did you mean X?" for the closest known spelling (case differences first), or ""."""
    choices = sorted(choices)
    same_case = [c for c in choices if c.lower() == word.lower()]
    close = same_case or difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" did you mean {close[0]}?" if close else ""


def _unknown_keys(value: Any, allowed: tuple[str, ...]) -> str:
    """"; unknown key 'x' (did you mean y?)" for each key of a mapping that is not allowed, or ""."""
    if not isinstance(value, dict):
        return ""
    hints = []
    for key in (k for k in value if k not in allowed):
        close = _did_you_mean(str(key), allowed).strip()
        hints.append(f"; unknown key {key!r}" + (f" ({close})" if close else ""))
    return "".join(hints)


@cache
def known_regions() -> frozenset[str]:
    """Every region of every AWS partition that botocore's endpoint data (installed with boto3) names."""
    import botocore.session

    session = botocore.session.get_session()
    return frozenset(region for partition in session.get_available_partitions()
                     for region in session.get_available_regions("ec2", partition_name=partition))


def _is_region(value: Any) -> bool:
    return isinstance(value, str) and bool(_REGION.match(value)) and value in known_regions()


_REGION_ALLOWED = ("expected an AWS region name such as us-west-2 that botocore's endpoint data knows "
                   "(aws ec2 describe-regions lists yours; a region newer than the installed boto3 needs an upgrade)")


def instance_architecture(instance_type: str) -> str | None:
    """The CPU architecture of an EC2 instance type, from the family naming rule; None if the name has no family.

    A `g` right after the generation digit marks AWS Graviton (arm64): m7g, c7gn, r8g, x2gd, im4gn, is4gen, t4g,
    hpc7g; so does a Grace `-g...` part (p6e-gb200); `a1` is the first Graviton. Everything else is x86_64.
    """
    family = instance_type.split(".", 1)[0]
    if family == "a1":
        return "arm64"
    match = _INSTANCE_FAMILY.match(family)
    if not match:
        return None
    attributes = match.group(3)
    if attributes.startswith("g") or any(part.startswith("g") for part in attributes.split("-")[1:]):
        return "arm64"
    return "x86_64"


@dataclass(frozen=True)
class KeyDoc:
    key: str
    default: str
    meaning: str


# The config reference: README's table is generated from this list (python -m hardened_eks.docs).
CONFIG_KEYS: tuple[KeyDoc, ...] = (
    KeyDoc("aws:region", "(required)", "AWS region of the stack."),
    KeyDoc("kubernetesVersion", "(required)", "EKS Kubernetes version, quoted (\"1.33\"): "
           + ", ".join(EKS_KUBERNETES_VERSIONS) + "."),
    KeyDoc("patterns", "(required)", "List of `{pattern, levels}`: which hardened node groups to build and test."),
    KeyDoc("exclusions", "{}", "Per benchmark (`al2023`, `al2`, `bottlerocket`), control ids not to apply: "
           "`\"1.1.2.1\"` or `{id: \"1.1.2.1\", reason: \"why\"}`; reported as `excluded` with the reason (a plain id: "
           "\"no reason given\"). A control above every selected level of its benchmark is refused."),
    KeyDoc("remoteLogHost", "(none: 5.1.1.6 excluded)", "`HOST[:PORT]` or `[IPV6][:PORT]` of the site's syslog "
           "collector (TCP, port 514 by default): the Amazon Linux builds make rsyslog forward there (CIS 5.1.1.6). "
           "Unset, 5.1.1.6 is excluded automatically and reported so."),
    KeyDoc("architecture", "x86_64", "`x86_64` or `arm64`, for AMIs and nodes."),
    KeyDoc("ipFamily", "ipv4", "`ipv4` or `ipv6` (dual-stack VPC, IPv6 cluster)."),
    KeyDoc("instanceType", "m6i.large (arm64: m7g.large)", "Instance type of builders and nodes; its architecture "
           "must be `architecture` (Graviton families such as m7g, c7gn, t4g are arm64)."),
    KeyDoc("nodeGroupSize", "{minSize: 1, desiredSize: 2, maxSize: 3}", "Size of every node group."),
    KeyDoc("vpcCidr", "10.0.0.0/16", "CIDR of the VPC this stack creates (/16 to /20)."),
    KeyDoc("availabilityZoneCount", "3", "Availability zones to spread subnets over (2 to 6)."),
    KeyDoc("natGateways", "single", "`single` NAT gateway, or `perAz` for zone-independent egress."),
    KeyDoc("existingVpc", "(none)", "`{vpcId, privateSubnetIds, publicSubnetIds}`: use this VPC, create none "
           "(see [Using an existing VPC](#using-an-existing-vpc)); `vpcCidr`, `natGateways` and "
           "`availabilityZoneCount` are refused beside it."),
    KeyDoc("endpointPublicAccess", "true", "Public Kubernetes API endpoint (private access is always on); false needs "
           "`existingVpc` and `privateAccessCidrs`, and `pulumi up` run inside that VPC."),
    KeyDoc("publicAccessCidrs", "(required while public)", "CIDRs allowed to reach the public API endpoint; the "
           "egress address of wherever `pulumi up` runs must be among them (checked before anything is created)."),
    KeyDoc("privateAccessCidrs", "(required while private)", "CIDRs inside the VPC (or networks routed to it) allowed "
           "to reach the private API endpoint on 443: where `pulumi up`, the pipeline and `kubectl` run. Needs "
           "`existingVpc` when the public endpoint is off."),
    KeyDoc("adminPrincipals", "[]", "IAM role/user ARNs (not `sts` assumed-role session ARNs) given cluster-admin "
           "through access entries; the identity running `pulumi up` is admin already as the cluster's creator."),
    KeyDoc("kmsKeys", "{} (a key is created)", "Per region, a customer-managed KMS key ARN for EBS, secrets, logs."),
    KeyDoc("amiRegions", "[]", "Extra regions the hardened AMIs are copied to."),
    KeyDoc("amiShareAccounts", "[]", "AWS account ids the hardened AMIs are shared with."),
    KeyDoc("sourceAmis", "{}", "Pin a source AMI per pattern (`ami-…`) or per pattern and level (`{\"1\": ami-…}`)."),
    KeyDoc("sourceProductCodes", "{}", "AWS Marketplace product code of a `cis-*` pattern's image, per pattern or per "
           "level (the code on your Marketplace subscription): the lookup then matches that product only, never "
           "another seller's image with the same name."),
    KeyDoc("amiRetention", "2", "Hardened AMIs kept per (pattern, level), the current one included, for rollback."),
    KeyDoc("amiOnly", "false", "Build and report AMIs only: no cluster, node groups or workloads."),
    KeyDoc("tags", "{}", "Tags added to every resource (keys starting `aws:` or `hardened-eks:` are reserved)."),
    KeyDoc("logRetentionDays", "90", "Retention of flow logs and control-plane logs (a CloudWatch Logs value)."),
    KeyDoc("enableInspector", "false", "Enable Amazon Inspector for EC2 in this account and region (never disabled "
           "on destroy); leave false where Inspector is managed centrally."),
    KeyDoc("inspectorScans", "true", "Create the Inspector CIS scan configurations for the Amazon Linux nodes."),
    KeyDoc("inspectorScanTimeoutMinutes", "120", "How long the pipeline waits for an Inspector CIS scan to finish "
           "(10 to 1440)."),
    KeyDoc("strictWorkloadTests", "false", "Fail the deployment when a workload test fails, instead of reporting it."),
    KeyDoc("nodeAudit", "true", "Audit every running Amazon Linux node with its AMI's own audit (a DaemonSet per node "
           "group) and report drift from the AMI's build audit; false creates no node audit objects."),
    KeyDoc("nodeAuditSchedule", "@daily", "When the node audit repeats: five cron fields (UTC; numbers, `*`, `a-b`, "
           "`*/n`, lists) or `@hourly`, `@daily`, `@weekly`, `@monthly`; every node also audits when its pod starts."),
    KeyDoc("complianceGate", "(see pipeline)", "What the pipeline's compliance gate requires."),
    KeyDoc("vulnerabilityPolicy", "(see pipeline)", "Days to fix a vulnerability, per severity."),
)
KNOWN_KEYS = frozenset(_qualify(doc.key) for doc in CONFIG_KEYS)
PIPELINE_KEYS = ("complianceGate", "vulnerabilityPolicy")


def load_config(raw: Mapping[str, str], stack: str) -> StackConfig:
    """Validate the raw Pulumi config of one stack; raise ConfigError listing every problem."""
    r = _Reader(raw)

    for key in sorted(k for k in raw if k.startswith(f"{NAMESPACE}:") and k not in KNOWN_KEYS):
        r.problems.append(f"{key}: unknown key;{_did_you_mean(key, KNOWN_KEYS)} known keys: "
                          f"{', '.join(sorted(KNOWN_KEYS))}")

    region = r.value("aws:region")
    if not region:
        r.problems.append("aws:region: missing; set it with `pulumi config set aws:region us-west-2`")
        region = None
    elif not _is_region(region):
        r.fail("aws:region", region, _REGION_ALLOWED)

    kubernetes_version = _kubernetes_version(r)
    architecture = r.choice("architecture", "x86_64", ARCHITECTURES)
    patterns = _patterns(r, kubernetes_version, architecture)
    exclusions, exclusion_reasons = _exclusions(r, patterns)
    ip_family = r.choice("ipFamily", "ipv4", IP_FAMILIES)
    cidr = _vpc_cidr(r)
    existing_vpc = _existing_vpc(r)
    if existing_vpc is not None:
        # The stack creates no VPC then: these keys would be silently ignored.
        for meaningless in ("vpcCidr", "natGateways", "availabilityZoneCount"):
            if _qualify(meaningless) in raw:
                r.fail(meaningless, raw[_qualify(meaningless)],
                       f"with existingVpc the stack creates no VPC, subnets or NAT gateways, so {meaningless} has no "
                       "effect; remove it (the existing VPC's subnets decide)")
    endpoint_public = r.boolean("endpointPublicAccess", True)
    public_cidrs = _access_cidrs(r, "publicAccessCidrs", ip_family)
    private_cidrs = _access_cidrs(r, "privateAccessCidrs", ip_family)
    ami_only = r.boolean("amiOnly", False)
    if endpoint_public and not public_cidrs and not ami_only:
        r.problems.append(
            f"{_qualify('publicAccessCidrs')}: missing; required while endpointPublicAccess is true "
            "(list the CIDRs allowed to reach the Kubernetes API, the egress address of wherever `pulumi up` runs "
            "among them; or set endpointPublicAccess to false with existingVpc and privateAccessCidrs)"
        )
    if not endpoint_public and not ami_only:
        _check_private_endpoint(r, existing_vpc, private_cidrs)
    ami_regions = r.string_list("amiRegions", _is_region, _REGION_ALLOWED)
    if region in ami_regions:
        r.fail("amiRegions", region, "list only extra regions; the stack's own region is always included")
    share_accounts = r.string_list("amiShareAccounts", lambda v: bool(_ACCOUNT_ID.match(v)),
                                   "expected a 12-digit AWS account id")
    kms_keys = _kms_keys(r, region, ami_regions, share_accounts)

    config = StackConfig(
        stack=stack,
        region=region or "",
        kubernetes_version=kubernetes_version or "",
        patterns=patterns,
        exclusions=exclusions,
        exclusion_reasons=exclusion_reasons,
        architecture=architecture,
        ip_family=ip_family,
        instance_type=_instance_type(r, architecture),
        node_group_size=_node_group_size(r),
        vpc_cidr=cidr,
        availability_zone_count=r.integer("availabilityZoneCount", 3, 2, 6),
        nat_gateways=r.choice("natGateways", "single", NAT_GATEWAY_MODES),
        existing_vpc=existing_vpc,
        endpoint_public_access=endpoint_public,
        public_access_cidrs=public_cidrs,
        private_access_cidrs=private_cidrs,
        admin_principals=_admin_principals(r),
        kms_keys=kms_keys,
        ami_regions=ami_regions,
        ami_share_accounts=share_accounts,
        source_amis=_source_amis(r, patterns),
        source_product_codes=_source_product_codes(r, patterns),
        ami_retention=r.integer("amiRetention", 2, 1, 10),
        ami_only=ami_only,
        tags=_tags(r),
        log_retention_days=_log_retention(r),
        enable_inspector=r.boolean("enableInspector", False),
        inspector_scans=r.boolean("inspectorScans", True),
        inspector_scan_timeout_minutes=r.integer("inspectorScanTimeoutMinutes", 120, 10, 1440),
        strict_workload_tests=r.boolean("strictWorkloadTests", False),
        node_audit=r.boolean("nodeAudit", True),
        node_audit_schedule=_node_audit_schedule(r),
        remote_log_host=_remote_log_host(r),
        extra=_pipeline_settings(r, raw),
    )
    if r.problems:
        raise ConfigError(r.problems)
    return config


def _pipeline_settings(r: _Reader, raw: Mapping[str, str]) -> dict[str, Any]:
    """Keys the pipeline reads after `up`, validated now so a typo fails before anything is created."""
    from hardened_eks.inspector.policy import PolicyConfigError, parse_vulnerability_policy
    from pipeline.gate import GateConfigError, parse_gate

    parsers = {"complianceGate": (parse_gate, GateConfigError),
               "vulnerabilityPolicy": (parse_vulnerability_policy, PolicyConfigError)}
    settings: dict[str, Any] = {}
    for key in PIPELINE_KEYS:
        if _qualify(key) not in raw:
            continue
        value = r.value(key, parse_json=True)
        parse, error_type = parsers[key]
        try:
            parse(value)
        except error_type as error:
            r.problems.extend(line for line in str(error).splitlines() if line.strip())
        settings[key] = value
    return settings


def _kubernetes_version(r: _Reader) -> str | None:
    key = "kubernetesVersion"
    value = r.value(key)
    if value is None or str(value).strip() == "":
        r.problems.append(f"{_qualify(key)}: missing; set it to a quoted version such as \"1.33\"; "
                          f"allowed: {', '.join(EKS_KUBERNETES_VERSIONS)}")
        return None
    text = str(value).strip()
    match = _K8S_VERSION.match(text)
    if match and len(match.group(2)) == 1 and f"{text}0" in EKS_KUBERNETES_VERSIONS:
        r.fail(key, value, f"this looks like {text}0 written as a YAML number, which drops the trailing zero; "
                           f"quote it: \"{text}0\"")
        return None
    if text not in EKS_KUBERNETES_VERSIONS:
        r.fail(key, value, f"allowed: {', '.join(EKS_KUBERNETES_VERSIONS)} (quoted, for example \"1.33\")")
        return None
    return text


def _patterns(r: _Reader, kubernetes_version: str | None, architecture: str) -> tuple[PatternSelection, ...]:
    key = "patterns"
    value = r.value(key, parse_json=True)
    allowed_names = ", ".join(PATTERNS)
    if value is None or value == []:
        r.problems.append(f"{_qualify(key)}: missing or empty; list at least one of {allowed_names} "
                          "as `- pattern: <name>` with `levels: [1, 2]`")
        return ()
    if not isinstance(value, list):
        r.fail(key, value, "expected a list of `{pattern: <name>, levels: [1, 2]}` entries")
        return ()
    selections: list[PatternSelection] = []
    seen: set[str] = set()
    for index, entry in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(entry, dict) or set(entry) - {"pattern", "levels"} or "pattern" not in entry:
            r.fail(where, entry, "expected a mapping with keys `pattern` and `levels`, e.g. "
                                 "{pattern: eks-optimized-al2023, levels: [1, 2]}"
                   + _unknown_keys(entry, ("pattern", "levels")))
            continue
        name = entry["pattern"]
        pattern = PATTERNS.get(name) if isinstance(name, str) else None
        if pattern is None:
            r.fail(f"{where}.pattern", name, f"allowed: {allowed_names}")
            continue
        if name in seen:
            r.fail(f"{where}.pattern", name, "each pattern may appear once; list all its levels in one entry")
            continue
        seen.add(name)
        levels = entry.get("levels", list(pattern.levels))
        if (not isinstance(levels, list) or not levels
                or not all(isinstance(lv, int) and not isinstance(lv, bool) for lv in levels)
                or len(set(levels)) != len(levels)):
            r.fail(f"{where}.levels", levels, f"expected a non-empty list of distinct levels from {list(pattern.levels)}")
            continue
        bad = [lv for lv in levels if lv not in pattern.levels]
        if bad:
            r.fail(f"{where}.levels", levels, f"pattern {name} supports levels {list(pattern.levels)}")
            continue
        if kubernetes_version and not pattern.supports_kubernetes(kubernetes_version):
            r.fail(f"{where}.pattern", name,
                   f"{name} supports Kubernetes up to {pattern.max_kubernetes_version} "
                   f"({pattern.max_kubernetes_reason}), not {kubernetes_version}")
            continue
        if architecture not in pattern.architectures:
            r.fail(f"{where}.pattern", name,
                   f"{name} is available for {', '.join(pattern.architectures)}, not architecture {architecture}")
            continue
        selections.append(PatternSelection(pattern, tuple(sorted(levels))))
    return tuple(selections)


_EXCLUSION_SHAPE = ('expected a list of quoted control ids ("1.1.2.1") or of {id: "1.1.2.1", reason: "why"} '
                    "entries")


def _exclusions(r: _Reader, patterns: tuple[PatternSelection, ...]
                ) -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, str], str]]:
    """Per benchmark, the control ids not to apply, and the reason given for each (`{id, reason}` entries)."""
    key = "exclusions"
    value = r.value(key, {}, parse_json=True)
    if not isinstance(value, dict):
        r.fail(key, value, "expected a mapping of benchmark to a list of control ids, e.g. {al2023: [\"1.1.2.1\"]} "
                           "or {al2023: [{id: \"1.1.2.1\", reason: \"why\"}]}")
        return {}, {}
    in_use = {sel.pattern.benchmark.key for sel in patterns}
    result: dict[str, tuple[str, ...]] = {}
    reasons: dict[tuple[str, str], str] = {}
    for benchmark, entries in value.items():
        where = f"{key}.{benchmark}"
        if benchmark not in hardening.BENCHMARKS:
            r.fail(key, benchmark, f"unknown benchmark;{_did_you_mean(benchmark, hardening.BENCHMARKS)} allowed: "
                                   f"{', '.join(hardening.BENCHMARKS)}")
            continue
        if patterns and benchmark not in in_use:
            r.fail(key, benchmark, f"no selected pattern uses benchmark {benchmark}; "
                                   f"benchmarks in use: {', '.join(sorted(in_use))}")
            continue
        if not isinstance(entries, list):
            r.fail(where, entries, _EXCLUSION_SHAPE)
            continue
        catalog = {control.id: control for control in hardening.load_catalog(benchmark)}
        # The highest level any selected pattern of this benchmark builds: a control above it is never applied.
        top = max((lv for sel in patterns if sel.pattern.benchmark.key == benchmark for lv in sel.levels), default=2)
        ids: list[str] = []
        for index, entry in enumerate(entries):
            at = f"{where}[{index}]"
            control_id, reason = _exclusion_entry(r, at, entry)
            if control_id is None:
                continue
            if control_id not in catalog:
                r.fail(at, control_id, f"no such recommendation in benchmark {benchmark} "
                                       "(run `python -m hardening matrix` to list them)")
                continue
            if catalog[control_id].level > top:
                r.fail(at, control_id, f"{control_id} is a level-{catalog[control_id].level} control and the "
                                       f"patterns using {benchmark} select level {top} at most, so it is never "
                                       "applied; remove the exclusion")
                continue
            if control_id in ids:
                r.fail(at, control_id, "ids must not repeat")
                continue
            ids.append(control_id)
            if reason:
                reasons[(benchmark, control_id)] = reason
        result[benchmark] = tuple(sorted(ids, key=_id_key))
    return result, reasons


def _exclusion_entry(r: _Reader, at: str, entry: Any) -> tuple[str | None, str | None]:
    """(control id, reason) of one exclusion: a plain id, or {id, reason}."""
    if isinstance(entry, str):
        return entry, None
    if not isinstance(entry, dict):
        r.fail(at, entry, _EXCLUSION_SHAPE)
        return None, None
    unknown = sorted(set(entry) - {"id", "reason"})
    for name in unknown:
        r.fail(f"{at}.{name}", entry[name], f"unknown key;{_did_you_mean(str(name), ('id', 'reason'))} allowed: "
                                            "id, reason")
    control_id, reason = entry.get("id"), entry.get("reason")
    if not isinstance(control_id, str):
        r.fail(f"{at}.id", control_id, 'expected a quoted control id such as "1.1.2.1"')
        control_id = None
    if not isinstance(reason, str) or not reason or len(reason) > MAX_EXCLUSION_REASON or any(
            unicodedata.category(ch).startswith("C") for ch in reason):
        r.fail(f"{at}.reason", reason, f"expected one line of text, 1 to {MAX_EXCLUSION_REASON} characters, saying "
                                       "why the control is not applied (or give the plain id: \"no reason given\")")
        reason = None
    return (None, None) if unknown or control_id is None or reason is None else (control_id, reason)


def _id_key(control_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in control_id.split(".") if part.isdigit())


def _access_cidrs(r: _Reader, key: str, ip_family: str) -> tuple[str, ...]:
    """CIDRs allowed to reach an API endpoint, compared as networks: none alone or together opens it to all."""
    families = "IPv4 or IPv6" if ip_family == "ipv6" else "IPv4"
    allowed = f"expected an {families} CIDR such as 203.0.113.0/24" + (" or 2001:db8::/56" if ip_family == "ipv6"
                                                                        else "")
    value = r.value(key, [], parse_json=True)
    if not isinstance(value, list):
        r.fail(key, value, "expected a list of CIDRs")
        return ()
    good: list[str] = []
    for index, item in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(item, str):
            r.fail(where, item, allowed)
            continue
        if item != item.strip():
            r.fail(where, item, "remove the spaces around the CIDR (AWS may read it as a different network)")
            continue
        try:
            network = ipaddress.ip_network(item)
        except ValueError:
            r.fail(where, item, allowed + " (no host bits set)")
            continue
        if network.version == 6 and ip_family != "ipv6":
            r.fail(where, item, "an IPv4 cluster's API endpoint has IPv4 addresses only; list IPv4 CIDRs "
                                "(IPv6 CIDRs need ipFamily ipv6)")
            continue
        if network.prefixlen == 0:
            r.fail(key, item, f"it opens the Kubernetes API to the whole internet ({network}); list your own "
                              "ranges")
            continue
        good.append(str(network))
    covered = internet_covered(good)
    if covered:
        r.fail(key, value, f"together these CIDRs cover {', '.join(covered)}, which opens the Kubernetes API to the "
                           "whole internet; list your own ranges")
    if len(set(good)) != len(good):
        r.fail(key, value, "entries must not repeat (as networks)")
    return tuple(good)


def _check_private_endpoint(r: _Reader, existing_vpc: ExistingVpc | None, private_cidrs: tuple[str, ...]) -> None:
    """A private-only API is reachable only from inside the VPC: the deployer must be there before the stack is."""
    if existing_vpc is None:
        r.fail("endpointPublicAccess", "false", "with the public endpoint off, `pulumi up` must run inside the "
               "cluster's VPC, and this stack would create that VPC itself (on the first up there is no inside); "
               "set existingVpc to a VPC your deployer (CI runner, bastion) already runs in, or keep the public "
               "endpoint on with publicAccessCidrs listing the deployer's egress address")
    if not private_cidrs:
        r.problems.append(
            f"{_qualify('privateAccessCidrs')}: missing; required while endpointPublicAccess is false: the CIDRs "
            "(inside existingVpc or routed to it) where `pulumi up`, the pipeline and kubectl run; only they reach "
            "the private endpoint on 443")


def _admin_principals(r: _Reader) -> tuple[str, ...]:
    key = "adminPrincipals"
    value = r.value(key, [], parse_json=True)
    if not isinstance(value, list):
        r.fail(key, value, "expected a list of IAM role or user ARNs")
        return ()
    good = []
    for index, item in enumerate(value):
        session = _STS_SESSION.match(item) if isinstance(item, str) else None
        if session:
            partition, account, role = session.groups()
            r.fail(f"{key}[{index}]", item, "this is an STS session (assumed-role) ARN, which EKS refuses in access "
                   f"entries; give the role's ARN: arn:{partition}:iam::{account}:role/<path/>{role} (its path, if "
                   f"any, is shown by `aws iam get-role --role-name {role}`)")
        elif isinstance(item, str) and _IAM_PRINCIPAL.match(item):
            good.append(item)
        else:
            r.fail(f"{key}[{index}]", item, "expected an IAM role or user ARN such as "
                                            "arn:aws:iam::111122223333:role/platform-admins")
    if len(set(good)) != len(good):
        r.fail(key, value, "entries must not repeat")
    return tuple(good)


def _vpc_cidr(r: _Reader) -> str:
    value = r.value("vpcCidr", "10.0.0.0/16")
    try:
        network = ipaddress.IPv4Network(value)
    except ValueError:
        r.fail("vpcCidr", value, "expected an IPv4 CIDR such as 10.0.0.0/16")
        return "10.0.0.0/16"
    if not 16 <= network.prefixlen <= 20:
        r.fail("vpcCidr", value, "the prefix must be /16 to /20 so every AZ gets a private and a public subnet")
    return str(network)


def _existing_vpc(r: _Reader) -> ExistingVpc | None:
    key = "existingVpc"
    value = r.value(key, parse_json=True)
    if value is None:
        return None
    shape = "expected {vpcId: vpc-..., privateSubnetIds: [subnet-..., ...], publicSubnetIds: [subnet-..., ...]}"
    if not isinstance(value, dict) or set(value) - {"vpcId", "privateSubnetIds", "publicSubnetIds"}:
        r.fail(key, value, shape + _unknown_keys(value, ("vpcId", "privateSubnetIds", "publicSubnetIds")))
        return None
    vpc_id = value.get("vpcId")
    if not isinstance(vpc_id, str) or not _VPC_ID.match(vpc_id):
        r.fail(f"{key}.vpcId", vpc_id, "expected a VPC id such as vpc-0123456789abcdef0")
    subnets = {}
    for field_name, minimum in (("privateSubnetIds", 2), ("publicSubnetIds", 0)):
        ids = value.get(field_name, [])
        if (not isinstance(ids, list) or len(ids) < minimum
                or not all(isinstance(i, str) and _SUBNET_ID.match(i) for i in ids)):
            r.fail(f"{key}.{field_name}", ids,
                   f"expected at least {minimum} subnet ids such as subnet-0123456789abcdef0"
                   + (" in different availability zones" if minimum else ""))
            ids = []
        subnets[field_name] = tuple(ids)
    return ExistingVpc(vpc_id or "", subnets["privateSubnetIds"], subnets["publicSubnetIds"])


def _instance_type(r: _Reader, architecture: str) -> str:
    value = r.value("instanceType", DEFAULT_INSTANCE_TYPES[architecture])
    if not re.match(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$", str(value)) or instance_architecture(str(value)) is None:
        r.fail("instanceType", value, "expected an EC2 instance type such as m6i.large")
        return str(value)
    actual = instance_architecture(str(value))
    if actual != architecture:
        kind = "an AWS Graviton (arm64)" if actual == "arm64" else "an x86_64"
        r.fail("instanceType", value, f"it is {kind} instance type, but architecture is {architecture}; use an "
               f"{architecture} type such as {DEFAULT_INSTANCE_TYPES[architecture]}, or set architecture to {actual}")
    return str(value)


def _node_group_size(r: _Reader) -> NodeGroupSize:
    key = "nodeGroupSize"
    value = r.value(key, {}, parse_json=True)
    names = {"minSize": "min_size", "desiredSize": "desired_size", "maxSize": "max_size"}
    if not isinstance(value, dict) or set(value) - set(names):
        r.fail(key, value, "expected {minSize: 1, desiredSize: 2, maxSize: 3}" + _unknown_keys(value, tuple(names)))
        return NodeGroupSize()
    sizes = {names[k]: v for k, v in value.items()}
    size = NodeGroupSize(**{**NodeGroupSize().__dict__, **sizes})
    numbers = (size.min_size, size.desired_size, size.max_size)
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 100 for n in numbers):
        r.fail(key, value, "sizes must be whole numbers from 0 to 100")
    elif not size.min_size <= size.desired_size <= size.max_size or size.max_size < 1:
        r.fail(key, value, "need minSize <= desiredSize <= maxSize and maxSize >= 1")
    return size


def _kms_keys(r: _Reader, region: str | None, ami_regions: tuple[str, ...],
              share_accounts: tuple[str, ...]) -> dict[str, str]:
    key = "kmsKeys"
    value = r.value(key, {}, parse_json=True)
    if not isinstance(value, dict):
        r.fail(key, value, "expected a mapping of region to KMS key ARN")
        return {}
    result = {}
    for key_region, arn in value.items():
        if not _is_region(key_region):
            r.fail(f"{key}.{key_region}", key_region, _REGION_ALLOWED)
        elif not isinstance(arn, str) or not _KMS_KEY.match(arn):
            r.fail(f"{key}.{key_region}", arn, "expected a KMS key ARN such as arn:aws:kms:us-west-2:111122223333:key/...")
        elif f":kms:{key_region}:" not in arn:
            r.fail(f"{key}.{key_region}", arn, f"the key must live in region {key_region}")
        else:
            result[key_region] = arn
    if share_accounts:
        # AMIs encrypted with the AWS-managed aws/ebs key cannot be shared; copies need a key we control.
        for extra_region in ami_regions:
            if extra_region not in result:
                r.problems.append(
                    f"{_qualify(key)}.{extra_region}: missing; AMIs copied to {extra_region} are shared with "
                    f"{', '.join(share_accounts)}, which needs a customer-managed KMS key in that region"
                )
    return result


def _source_amis(r: _Reader, patterns: tuple[PatternSelection, ...]) -> dict[tuple[str, int], str]:
    return _per_level_pins(r, "sourceAmis", patterns, {n for n, p in PATTERNS.items() if p.builds_ami},
                           "has no AMI build to pin", _AMI_ID, "an AMI id such as ami-0123456789abcdef0", "ami-...")


def _source_product_codes(r: _Reader, patterns: tuple[PatternSelection, ...]) -> dict[tuple[str, int], str]:
    return _per_level_pins(r, "sourceProductCodes", patterns,
                           {n for n, p in PATTERNS.items() if isinstance(p.source, MarketplaceSource)},
                           "has no Marketplace source", _PRODUCT_CODE,
                           "an AWS Marketplace product code (25 lowercase letters and digits)", "<product code>")


def _per_level_pins(r: _Reader, key: str, patterns: tuple[PatternSelection, ...], pinnable: set[str],
                    not_pinnable: str, pattern: re.Pattern, what: str, example: str) -> dict[tuple[str, int], str]:
    """{<pattern>: VALUE} or {<pattern>: {"1": VALUE, "2": VALUE}}, per (pattern, level)."""
    value = r.value(key, {}, parse_json=True)
    shape = f"expected {{<pattern>: {example}}} or {{<pattern>: {{\"1\": {example}, \"2\": {example}}}}}"
    if not isinstance(value, dict):
        r.fail(key, value, shape)
        return {}
    selected = {sel.pattern.name: sel for sel in patterns}
    result: dict[tuple[str, int], str] = {}
    for name, pin in value.items():
        where = f"{key}.{name}"
        if name not in PATTERNS:
            r.fail(key, name, f"unknown pattern; allowed: {', '.join(PATTERNS)}")
            continue
        if name not in pinnable:
            r.fail(key, name, f"{name} {not_pinnable}; pinnable: {', '.join(p for p in PATTERNS if p in pinnable)}")
            continue
        levels = selected[name].levels if name in selected else PATTERNS[name].levels
        per_level = {str(lv): pin for lv in levels} if isinstance(pin, str) else pin
        if not isinstance(per_level, dict):
            r.fail(where, pin, shape)
            continue
        for level_text, item in per_level.items():
            if str(level_text) not in {str(lv) for lv in PATTERNS[name].levels}:
                r.fail(f"{where}.{level_text}", item, f"levels are {list(PATTERNS[name].levels)}")
            elif not isinstance(item, str) or not pattern.match(item):
                r.fail(f"{where}.{level_text}", item, f"expected {what}")
            else:
                result[(name, int(level_text))] = item
    return result


def _tags(r: _Reader) -> dict[str, str]:
    """User tags within AWS's limits, each problem naming the full tag key."""
    key = "tags"
    value = r.value(key, {}, parse_json=True)
    if not isinstance(value, dict):
        r.fail(key, value, "expected a mapping of tag keys to string values")
        return {}
    room = MAX_TAGS_PER_RESOURCE - OWN_TAGS
    if len(value) > room:
        r.fail(key, f"{len(value)} tags", f"at most {room}: AWS allows {MAX_TAGS_PER_RESOURCE} tags per resource and "
                                          f"this program and EKS set up to {OWN_TAGS} of their own")
    good: dict[str, str] = {}
    for tag_key, tag_value in value.items():
        where = f"{key}[{json.dumps(tag_key)}]"
        if tag_key.lower().startswith(("aws:", f"{NAMESPACE}:")):
            r.fail(where, tag_key, f"tag keys starting with aws: or {NAMESPACE}: are reserved")
        elif not 1 <= len(tag_key) <= MAX_TAG_KEY:
            r.fail(where, tag_key, f"tag keys are 1 to {MAX_TAG_KEY} characters (this one has {len(tag_key)})")
        elif not _tag_text(tag_key):
            r.fail(where, tag_key, _TAG_CHARACTERS)
        elif not isinstance(tag_value, str):
            r.fail(where, tag_value, "expected a text value (quote numbers and booleans)")
        elif len(tag_value) > MAX_TAG_VALUE:
            r.fail(where, tag_value, f"tag values are at most {MAX_TAG_VALUE} characters (this one has "
                                     f"{len(tag_value)})")
        elif not _tag_text(tag_value):
            r.fail(where, tag_value, _TAG_CHARACTERS)
        else:
            good[tag_key] = tag_value
    return dict(sorted(good.items()))


_TAG_CHARACTERS = "allowed in tags: letters, digits, spaces and _ . : / = + - @"


def _tag_text(text: str) -> bool:
    return all(ch.isalnum() or ch in _TAG_PUNCTUATION or unicodedata.category(ch) == "Zs" for ch in text)


def _remote_log_host(r: _Reader) -> str | None:
    """HOST[:PORT] or [IPV6][:PORT], as cis-harden.sh's `--set remote-log-host` accepts it."""
    key = "remoteLogHost"
    value = r.value(key)
    if value is None:
        return None
    allowed = ("allowed: a host name or IPv4 address with an optional port (logs.example.internal, "
               "10.0.0.10:6514), or an IPv6 address in brackets ([fd00::10]:514); ports 1 to 65535")
    text = str(value).strip()
    match = (re.match(r"^\[([0-9A-Fa-f:.]+)\](?::([0-9]{1,5}))?$", text)
             or re.match(r"^([^:\[\]]+)(?::([0-9]{1,5}))?$", text))
    if not match:
        hint = " (an IPv6 address needs brackets: [fd00::10]:514)" if text.count(":") > 1 else ""
        r.fail(key, value, allowed + hint)
        return None
    host, port = match.group(1), match.group(2)
    if text.startswith("["):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            r.fail(key, value, allowed)
            return None
    elif not _HOST_NAME.match(host):
        r.fail(key, value, allowed)
        return None
    if port is not None and not 1 <= int(port) <= 65535:
        r.fail(key, value, allowed)
        return None
    return text


def _log_retention(r: _Reader) -> int:
    value = r.value("logRetentionDays")
    if value is None:
        return 90
    if not _WHOLE_NUMBER.match(str(value)) or int(str(value)) not in LOG_RETENTION_DAYS:
        r.fail("logRetentionDays", value, f"allowed: {', '.join(map(str, LOG_RETENTION_DAYS))}")
        return 90
    return int(str(value))


def read_pulumi_config() -> dict[str, str]:
    """The whole config of the running stack, as the Pulumi engine handed it to this program."""
    from pulumi.runtime import config as runtime_config

    # Pulumi offers no public call that lists every key; unknown-key detection needs them all.
    return {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}


def _node_audit_schedule(r: _Reader) -> str:
    from hardened_eks.node_audit.schedule import read_schedule  # late: keeps this module's imports light

    return read_schedule(r)

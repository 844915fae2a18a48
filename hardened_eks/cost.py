"""What `make up STACK=<stack>` creates, how long it takes and what it costs: a README table generated from the
stack's config, the pattern registry and the program itself (run under mocks, as `make plan` does), priced from
hardened_eks/prices.yaml. Every figure is an estimate; the prices file says its date and region.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from hardened_eks.patterns import PATTERNS, BuildMethod

PRICES_FILE = Path(__file__).resolve().parent / "prices.yaml"
PROJECT_DIR = Path(__file__).resolve().parent.parent
HOURS_PER_MONTH = 730


@cache
def prices() -> dict[str, Any]:
    return yaml.safe_load(PRICES_FILE.read_text())


@dataclass(frozen=True)
class Inventory:
    """What a stack creates that costs money, counted from the program's own resources."""

    stack: str
    region: str
    kubernetes_version: str
    instance_type: str
    clusters: int
    nat_gateways: int
    interface_endpoint_azs: int  # interface endpoints x the subnets (zones) each sits in
    kms_keys: int
    node_groups: tuple[tuple[str, int, int, int], ...]  # (pattern, level, nodes, EBS GiB per node)
    builds: tuple[tuple[str, int], ...]  # (pattern, level) of each Packer build
    inspector_enabler: bool


@cache
def inventory(stack: str, project_dir: Path = PROJECT_DIR) -> Inventory:
    from hardened_eks import program
    from hardened_eks.config import load_config
    from hardened_eks.consume.facts import os_devices, volumes
    from hardened_eks.mocks import run_with_mocks
    from hardened_eks.stack_file import read_stack_config, stack_path

    raw = read_stack_config(stack_path(stack, project_dir))
    config = load_config(raw, stack)
    mocks = run_with_mocks(program.main, raw, stack=stack)
    endpoints = [r for r in mocks.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
                 if r.inputs.get("vpcEndpointType") == "Interface"]
    groups = []
    if not config.ami_only:
        for pattern, level in config.node_groups():
            excluded = config.excluded(pattern.benchmark.key)
            gib = sum(d["sizeGiB"] for d in (*os_devices(pattern), *volumes(pattern, level, excluded, config.ip_family)))
            groups.append((pattern.name, level, config.node_group_size.desired_size, gib))
    recorded_groups = len(mocks.of_type("eks:index:ManagedNodeGroup"))
    if recorded_groups != len(groups):
        raise RuntimeError(f"cost: the program made {recorded_groups} node groups, the config names {len(groups)}")
    builds = tuple((p.name, level) for p, level in config.amis_to_build())
    if len(mocks.of_type("command:local:Command")) != len(builds):
        raise RuntimeError("cost: the program's AMI builds differ from the config's")
    return Inventory(
        stack=stack, region=config.region, kubernetes_version=config.kubernetes_version,
        instance_type=config.instance_type,
        clusters=len([r for r in mocks.resources if r.type == "eks:index:Cluster"]),
        nat_gateways=len(mocks.of_type("aws:ec2/natGateway:NatGateway")),
        interface_endpoint_azs=sum(len(r.inputs.get("subnetIds") or []) for r in endpoints),
        kms_keys=len(mocks.of_type("aws:kms/key:Key")),
        node_groups=tuple(groups), builds=builds,
        inspector_enabler=bool(mocks.of_type("aws:inspector2/enabler:Enabler")))


def _usd(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.1 or value == 0 else f"${value:,.3f}"


def _instance_price(instance_type: str) -> float | None:
    return prices()["instances"].get(instance_type)


def cost_table(inv: Inventory) -> str:
    p = prices()
    hourly, monthly, minutes = p["hourly"], p["monthly"], p["minutes"]
    instance = _instance_price(inv.instance_type)
    instance_text = _usd(instance) + "/h" if instance is not None else "not in hardened_eks/prices.yaml"
    nodes = sum(n for _, _, n, _ in inv.node_groups)
    cis_nodes = sum(n for name, _, n, _ in inv.node_groups if PATTERNS[name].method is BuildMethod.EKS_ON_CIS_AMI)
    node_gib = sum(n * gib for _, _, n, gib in inv.node_groups)
    rows: list[tuple[str, str, str, float | None]] = [
        ("EKS control plane", f"{inv.clusters} cluster (Kubernetes {inv.kubernetes_version})",
         f"{_usd(hourly['eks_cluster'])}/h ({_usd(hourly['eks_cluster_extended'])}/h in extended support)",
         inv.clusters * hourly["eks_cluster"]),
        ("Nodes (managed node groups)",
         f"{len(inv.node_groups)} node groups x {inv.node_groups[0][2] if inv.node_groups else 0} = {nodes} "
         f"`{inv.instance_type}`", instance_text, nodes * instance if instance is not None else None),
        ("Node EBS volumes (gp3, encrypted)", f"{node_gib} GiB in all (level-2 AMIs carry /var, /var/log, ... volumes)",
         f"{_usd(monthly['ebs_gp3_gb'])}/GB-month", node_gib * monthly["ebs_gp3_gb"] / HOURS_PER_MONTH),
        ("CIS Marketplace software (cis-* patterns)", f"{cis_nodes} nodes",
         f"about {_usd(p['marketplace_cis_instance_hour'])}/instance-hour", cis_nodes * p["marketplace_cis_instance_hour"]),
        ("NAT gateway and its Elastic IP", f"{inv.nat_gateways}",
         f"{_usd(hourly['nat_gateway'])}/h + {_usd(hourly['public_ipv4'])}/h",
         inv.nat_gateways * (hourly["nat_gateway"] + hourly["public_ipv4"])),
        ("Interface VPC endpoints", f"{inv.interface_endpoint_azs} endpoint-zones",
         f"{_usd(hourly['interface_endpoint_az'])}/h each", inv.interface_endpoint_azs * hourly["interface_endpoint_az"]),
        ("KMS key", f"{inv.kms_keys}", f"{_usd(monthly['kms_key'])}/month", inv.kms_keys * monthly["kms_key"]
         / HOURS_PER_MONTH),
        ("Amazon Inspector EC2 scanning (when enabled in the account)", f"{nodes} instances",
         f"{_usd(monthly['inspector_ec2_instance'])}/instance-month",
         nodes * monthly["inspector_ec2_instance"] / HOURS_PER_MONTH),
    ]
    known = [r[3] for r in rows if r[3] is not None]
    lines = [f"Stack `{inv.stack}` in {inv.region}, estimated from on-demand list prices in {p['region']} recorded on "
             f"{p['as_of']} ([hardened_eks/prices.yaml](hardened_eks/prices.yaml)); generated by "
             "`python -m hardened_eks.docs` from the stack file and the program.", "",
             "| while it runs | how many | unit price | USD per hour |", "|---|---|---|---|"]
    for what, count, unit, per_hour in rows:
        lines.append(f"| {what} | {count} | {unit} | {_usd(per_hour) if per_hour is not None else '?'} |")
    total = sum(known)
    lines.append(f"| **total while deployed** | | | **{_usd(total)}** (about {_usd(total * 24)} a day) |")

    build_rows = []
    build_total = 0.0
    for name, level in inv.builds:
        method = PATTERNS[name].method
        build_minutes = minutes["ami_build"][method.value]
        per_build = (instance or 0) * build_minutes / 60
        if method is BuildMethod.EKS_ON_CIS_AMI:
            per_build += p["marketplace_cis_instance_hour"] * build_minutes / 60
        build_total += per_build
        build_rows.append(f"| `{name}` level {level} | {method.value} | about {build_minutes} min on one "
                          f"`{inv.instance_type}` | {_usd(per_build)} |")
    lines += ["", "| each AMI build (an `up` that changes an AMI's inputs) | method | builder | USD per build |",
              "|---|---|---|---|", *build_rows,
              f"| **all {len(inv.builds)} builds** | | in parallel | **{_usd(build_total)}** |"]

    longest_build = max((minutes["ami_build"][PATTERNS[n].method.value] for n, _ in inv.builds), default=0)
    first_up = max(longest_build, minutes["eks_cluster"]) + (minutes["node_group"] + minutes["proof"]
                                                              if inv.node_groups else 0)
    lines += ["", f"A first `make up STACK={inv.stack}` takes about {first_up} minutes: the AMI builds "
              f"(about {longest_build} min, in parallel) run beside the EKS control plane "
              f"(about {minutes['eks_cluster']} min); then the node groups and the workload proof. Inspector's CIS "
              "scans wait up to `inspectorScanTimeoutMinutes` for SSM-managed nodes. `make destroy` removes "
              "everything that costs by the hour.",
              "", "Not in the figures: " + "; ".join(p["not_priced"]) + "."]
    return "\n".join(lines)


def opt_in_note(stack: str = "dev") -> str:
    """What adding the cis-al2023 opt-in to the sample would add (from the registry and the prices)."""
    p = prices()
    pattern = PATTERNS["cis-al2023"]
    build_minutes = p["minutes"]["ami_build"][pattern.method.value]
    return (f"Opting in to `cis-al2023` (levels {', '.join(map(str, pattern.levels))}) adds "
            f"{len(pattern.levels)} builds of about {build_minutes} min, {len(pattern.levels)} node groups, and "
            f"Marketplace software at about {_usd(p['marketplace_cis_instance_hour'])} per instance-hour for builders "
            "and nodes; it needs the account subscribed to the CIS products on AWS Marketplace.")


def summary(stack: str = "dev") -> str:
    """One sentence for the README's first screen."""
    inv = inventory(stack)
    p = prices()
    table = cost_table(inv)
    total = table.split("**total while deployed**", 1)[1].split("**")[1]
    builds = table.split(f"**all {len(inv.builds)} builds**", 1)[1].split("**")[1] if inv.builds else "$0"
    first_up = table.split("takes about ", 1)[1].split(" minutes", 1)[0]
    nodes = sum(n for _, _, n, _ in inv.node_groups)
    return (f"A real `make up STACK={stack}` creates one EKS cluster with {len(inv.node_groups)} node groups "
            f"({nodes} `{inv.instance_type}` nodes) and {len(inv.builds)} AMI builds: about {total} per hour while "
            f"deployed plus {builds} per round of builds, and about {first_up} minutes the first time "
            f"(estimates from {p['region']} list prices of {p['as_of']}: [Cost and time](#cost-and-time)).")


def readme_block(stack: str = "dev") -> str:
    return cost_table(inventory(stack)) + "\n\n" + opt_in_note(stack)

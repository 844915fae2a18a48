"""`make plan STACK=<name>`: evaluate the program offline and show what `pulumi up` would create.

No AWS credentials and no Pulumi CLI: the program runs against the mocks in hardened_eks.mocks,
with the stack's own config file. Source AMI ids shown are placeholders from the mocks.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from collections import Counter
from pathlib import Path

import hardening
from hardened_eks.ami_build.plan_view import describe_builds
from hardened_eks.config import ConfigError, StackConfig, load_config
from hardened_eks.mocks import HardenedEksMocks, Recorded, run_with_mocks
from hardened_eks.patterns import BuildMethod
from hardened_eks.stack_file import StackFileError, read_stack_config, stack_path
from hardened_eks.workload_tests import CONFIG_GROUP

PROJECT_DIR = Path(__file__).resolve().parent.parent


def stack_config(stack: str, project_dir: Path = PROJECT_DIR) -> dict[str, str]:
    try:
        return read_stack_config(stack_path(stack, project_dir))
    except StackFileError as error:
        raise SystemExit(f"plan: {error}") from None


def render_resources(resources: list[Recorded]) -> list[str]:
    """Resources as a tree under their components, leaves folded into counts per type.

    Siblings are sorted by type and name, so the plan reads the same however the program's outputs resolved.
    """
    lines: list[str] = []
    components = sorted((r for r in resources if not r.custom), key=lambda r: (r.type, r.name))

    def walk(parent: str | None, depth: int) -> None:
        for component in (c for c in components if c.parent == parent):
            lines.append(f"{'  ' * depth}{component.name}  ({component.type})")
            leaves = [r for r in resources if r.custom and r.parent == component.name]
            for type_token, count in sorted(Counter(r.type for r in leaves).items()):
                names = sorted(r.name for r in leaves if r.type == type_token)
                lines.append(f"{'  ' * (depth + 1)}{count:>3} x {type_token}: {_first_names(names)}")
            # A ConfigGroup's objects become resources only under `pulumi up`: show them from its input.
            for kind, names in _objects_by_kind(component.inputs.get("objs") if component.type == CONFIG_GROUP else None):
                lines.append(f"{'  ' * (depth + 1)}{len(names):>3} x {kind}: {_first_names(names)}")
            walk(component.name, depth + 1)

    walk(None, 0)
    top_level = sorted((r for r in resources if r.custom and r.parent is None), key=lambda r: (r.type, r.name))
    for resource in top_level:
        lines.append(f"{resource.name}  ({resource.type})")
    return lines


def _first_names(names: list[str]) -> str:
    return ", ".join(names[:4]) + (f", … (+{len(names) - 4})" if len(names) > 4 else "")


def _objects_by_kind(objects: object) -> list[tuple[str, list[str]]]:
    """Kubernetes objects as ("Kind (apiVersion)", sorted names), sorted by kind."""
    by_kind: dict[str, list[str]] = {}
    for obj in objects if isinstance(objects, list) else []:
        by_kind.setdefault(f"{obj['kind']} ({obj['apiVersion']})", []).append(obj["metadata"]["name"])
    return sorted((kind, sorted(names)) for kind, names in by_kind.items())


def render_hardening(config: StackConfig) -> list[str]:
    header = f"{'pattern':<22} {'level':>5}  {'method':<22} {'benchmark':<40} applied excepted manual excluded not-impl"
    lines = [header, "-" * len(header)]
    for pattern, level in config.node_groups():
        counts = hardening.summarize(pattern.benchmark.key, level, config.excluded(pattern.benchmark.key),
                                     config.ip_family)
        method = {BuildMethod.HARDEN_EKS_OPTIMIZED: "Packer: our hardening",
                  BuildMethod.EKS_ON_CIS_AMI: "Packer: CIS AMI + EKS",
                  BuildMethod.STOCK_SETTINGS: "no build: settings"}[pattern.method]
        lines.append(f"{pattern.name:<22} {level:>5}  {method:<22} {pattern.benchmark.label:<40} "
                     f"{counts['applied']:>7} {counts['excepted']:>8} {counts['manual']:>6} "
                     f"{counts['excluded']:>8} {counts['not_implemented']:>8}")
    return lines


def render_settings(config: StackConfig) -> list[str]:
    """What the node groups run on and where: the values a reviewer checks before `make up`."""
    size = config.node_group_size
    groups = len(config.node_groups())
    lines = [f"instance type:   {config.instance_type} ({config.architecture}), for Packer builders and nodes",
             f"node groups:     {groups}, each min {size.min_size} / desired {size.desired_size} / max {size.max_size} "
             f"nodes ({groups * size.desired_size} nodes at the desired size)" if not config.ami_only
             else "node groups:     none (amiOnly: AMIs are built and reported only)"]
    vpc = config.existing_vpc
    if vpc:
        lines += [f"network:         existing VPC {vpc.vpc_id} (this stack creates no VPC, subnets or NAT gateways)",
                  f"                 private subnets {', '.join(vpc.private_subnet_ids)}",
                  f"                 public subnets {', '.join(vpc.public_subnet_ids) or 'none'}"]
    else:
        lines.append(f"network:         new VPC {config.vpc_cidr} over {config.availability_zone_count} availability "
                     f"zones, NAT gateways: {config.nat_gateways}")
    return lines


def mark_placeholders(lines: list[str], config: StackConfig) -> list[str]:
    """Mark the AMI ids the offline mocks made up; ids pinned in hardened-eks:sourceAmis are real and kept as is."""
    pinned = set(config.source_amis.values())

    def mark(match: re.Match[str]) -> str:
        ami = match.group(2)
        return match.group(0) if ami in pinned else f"{match.group(1)}{ami} [placeholder]"

    return [_SHOWN_AMI.sub(mark, line) for line in lines]


# Where the plan shows an AMI id as a value: a build's source AMI, a proof's "(AMI ami-...)" heading.
_SHOWN_AMI = re.compile(r"(source AMI: +|\(AMI )(ami-[0-9a-f]{8,17})")
PLACEHOLDER_NOTE = ("AMI ids marked [placeholder] are made up by the offline mocks: `pulumi up` looks up the real "
                    "source AMIs and builds the hardened ones (pin sources with hardened-eks:sourceAmis).")


def render_exclusions(config: StackConfig) -> list[str]:
    """Every excluded control per benchmark with why: configured, or automatic (such as 5.1.1.6 without a log host)."""
    lines = []
    for benchmark, ids in config.all_exclusions().items():
        titles = {c.id: c.title for c in hardening.load_catalog(benchmark)}
        for control_id in ids:
            lines.append(f"{benchmark:<12} {control_id:<10} {titles.get(control_id, '')}")
            lines.append(f"{'':<12} {'':<10} reason: {config.exclusion_reason(benchmark, control_id)}")
    return lines or ["none"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardened_eks.plan", description=__doc__)
    parser.add_argument("--stack", default="dev", help="stack name: reads Pulumi.<stack>.yaml (default: dev)")
    args = parser.parse_args(argv)
    # A short-lived process that builds ~500 resources' worth of small objects: the cyclic collector's passes
    # cost a fifth of the run and free nothing that matters before exit.
    gc.disable()

    raw = stack_config(args.stack, PROJECT_DIR)
    try:
        config = load_config(raw, args.stack)
    except ConfigError as error:
        print(f"plan: {error}", file=sys.stderr)
        return 2

    from hardened_eks import program  # imported late: pulumi_aws is slow to import and not needed on errors

    mocks = run_with_mocks(program.main, raw, stack=args.stack,
                           mocks=HardenedEksMocks(region=config.region), preview=True)
    custom = [r for r in mocks.resources if r.custom]
    groups = [r for r in mocks.resources if r.type == CONFIG_GROUP]
    objects = sum(len(r.inputs.get("objs") or []) for r in groups)
    print(f"Plan for stack {args.stack!r} (offline, Pulumi mocks): {len(custom)} resources in "
          f"{len(mocks.resources) - len(custom)} components, {objects} Kubernetes objects in {len(groups)} "
          f"ConfigGroups, region {config.region}, "
          f"Kubernetes {config.kubernetes_version}, {config.architecture}, {config.ip_family}\n")
    print("\n".join(render_settings(config)))
    print(f"\n{PLACEHOLDER_NOTE}\n")
    print("\n".join(render_resources(mocks.resources)))
    proof = getattr(mocks, "exports", {}).get("workloadProof")
    if proof:
        from hardened_eks.workload_tests.proof import describe_proof

        print("\nWorkload proof per node group (Jobs named after the AMI; results: "
              "python -m hardened_eks.workload_tests.collect):\n")
        node_audits = getattr(mocks, "exports", {}).get("nodeAudit")
        print("\n".join(mark_placeholders(describe_proof(proof, node_audits if node_audits is not None else {}),
                                           config)))
    builds = describe_builds(config, mocks.resources)
    if builds:
        print("\nAMI builds (one Packer build per pattern and level; a changed build hash rebuilds it):\n")
        print("\n".join(mark_placeholders(builds, config)))
    print("\nHardening per node group (controls at or below the level; level 2 includes level 1):\n")
    print("\n".join(render_hardening(config)))
    print("\nExcluded controls (reported as `excluded` by every audit):\n")
    print("\n".join(render_exclusions(config)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `make plan | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)

"""The AMI builds section of `make plan`: per (pattern, level) its source look-up, template and build hash."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hardened_eks.ami_build.spec import PROJECT_DIR, SPEC_ENV, TEMPLATE_DIR, BuildSpec
from hardened_eks.config import StackConfig
from hardened_eks.patterns import PATTERNS, MarketplaceSource, SsmParameterSource


def source_lookup(config: StackConfig, pattern_name: str, level: int) -> str:
    """How the source AMI is found at deploy time, in words."""
    if config.source_ami(pattern_name, level):
        return f"pinned in config (hardened-eks:sourceAmis.{pattern_name})"
    source = PATTERNS[pattern_name].source
    if isinstance(source, SsmParameterSource):
        return f"public SSM parameter {source.parameter_name(config.kubernetes_version, config.architecture)}"
    if isinstance(source, MarketplaceSource):
        code = config.source_product_codes.get((pattern_name, level)) or source.product_codes.get(level)
        pinned = (f"product code {code}" if code else
                  f"any product code: pin yours in hardened-eks:sourceProductCodes.{pattern_name}")
        return (f"newest AMI of owner {source.owner} named '{source.name_filter(level)}' ({config.architecture}), "
                f"{pinned}; needs a subscription to the Marketplace product \"{source.products[level]}\"")
    return type(source).__name__


def describe_builds(config: StackConfig, resources: Iterable[Any]) -> list[str]:
    """`resources`: what the mocks recorded; each build Command carries its spec in its environment."""
    builds = {}
    for resource in resources:
        environment = resource.inputs.get("environment") if resource.type == "command:local:Command" else None
        spec_json = environment.get(SPEC_ENV) if isinstance(environment, dict) else None
        if isinstance(spec_json, str):
            spec = BuildSpec.from_json(spec_json)
            builds[(spec.pattern, spec.level)] = (resource, spec)
    lines = []
    for pattern, level in config.amis_to_build():
        if (pattern.name, level) not in builds:
            continue
        resource, spec = builds[(pattern.name, level)]
        excluded = ", ".join(f"{i} ({config.exclusion_origin(spec.benchmark, i)})" for i in spec.excluded) or "none"
        volumes = ", ".join(f"{v.mountpoint} {v.size_gib} GiB on {v.device} ({v.control})" for v in spec.volumes)
        settings = ", ".join(f"--set {name}={value}" for name, value in sorted(spec.settings.items()))
        regions = ", ".join(spec.regions)
        lines += [
            f"{spec.pattern}/level-{spec.level}  ({resource.name})",
            f"  source AMI:  {spec.source_ami_id} from {source_lookup(config, spec.pattern, spec.level)}",
            f"  template:    {TEMPLATE_DIR.relative_to(PROJECT_DIR)} -only=amazon-ebs.{spec.method} "
            f"(templates and scripts sha256 {spec.template_sha256[:16]})",
            f"  hardening:   cis-harden.sh {spec.benchmark} level {spec.level}, excluded: {excluded} "
            f"(sha256 {spec.script_sha256[:16]})"
            + (f"; EKS node components from awslabs/amazon-eks-ami {spec.eks_ami_release}" if spec.eks_ami_release
               else ""),
            f"  volumes:     {volumes or 'none (no separate-partition control to apply)'}"
            + (" (encrypted gp3, kept in the AMI)" if volumes else ""),
            f"  site values: {settings or 'none'}"
            + (f" (applied to the CIS image for {', '.join(spec.site_controls)} only)" if spec.site_controls else ""),
        ]
        if spec.eks_binaries:
            lines.append(f"  EKS nodes:   binaries {spec.eks_binaries} (s3://amazon-eks); applied again after the EKS "
                         f"install: {', '.join(spec.eks_install_controls) or 'nothing'}")
        lines += [
            f"  AMI:         {spec.ami_name} in {regions}, keep {spec.retention} (and any still in use)",
            f"  build hash:  {spec.build_hash} (a change runs the build's update: rebuild, then prune)",
        ]
    return lines

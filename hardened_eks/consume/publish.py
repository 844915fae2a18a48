"""SSM parameters of one (pattern, level) under /hardened-eks/<stack>/<pattern>/level-<n>/, from its facts.

HardenedAmi writes them beside its `ami-id` parameter; the program writes them for stock patterns (Bottlerocket),
whose AMI id is AWS's public parameter. Consumers read them with `aws ssm get-parameter` or a Terraform
`aws_ssm_parameter` data source, in the stack's region.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws

from hardened_eks.consume.facts import PARAMETERS, parameter_values

DESCRIPTIONS = {
    "amis": "AMI id per region (JSON)",
    "volumes": "OS devices and separate-partition volumes the AMI carries, with sizes (JSON)",
    "kms-key-arn": "KMS key encrypting the AMI's snapshots: grant it to whoever launches the AMI",
    "bootstrap": "bootstrap style of the node's user data",
    "user-data-example": "the node's user data for an example cluster",
    "scan-tag": "tag KEY=VALUE that Inspector's CIS scan of this level targets",
}


def publish_parameters(name: str, facts: pulumi.Output[dict[str, Any]], prefix: str, pattern: str, level: int,
                       tags: Mapping[str, str], opts: pulumi.ResourceOptions | None = None) -> None:
    values = facts.apply(parameter_values)
    for suffix in PARAMETERS:
        aws.ssm.Parameter(f"{name}-{suffix}", name=f"{prefix}/{suffix}", type="String", tier="Standard",
                          value=values.apply(lambda v, s=suffix: v[s]),
                          description=f"hardened-eks {pattern} level {level}: {DESCRIPTIONS[suffix]}",
                          tags=dict(tags), opts=opts)


def publish_all(config: Any, built: Mapping[tuple[str, int], Any], source_amis: Mapping[tuple[str, int], Any],
                kms_key_arn: pulumi.Input[str], tags: Mapping[str, str]) -> dict[str, pulumi.Output[dict[str, Any]]]:
    """Facts and SSM parameters of every selected (pattern, level), keyed `<pattern>/level-<n>` (the
    `amiConsumers` stack output). `built` maps (pattern, level) to its HardenedAmi; other patterns run their
    source AMI, published for the stack's region only."""
    from hardened_eks.consume.facts import consumer_facts, parameter_prefix

    region_kms_keys = {r: k for r, k in config.kms_keys.items() if r in config.ami_regions}
    published: dict[str, pulumi.Output[dict[str, Any]]] = {}
    for pattern, level in config.node_groups():
        component = built.get((pattern.name, level))
        amis = component.amis if component is not None else pulumi.Output.from_input(
            source_amis[(pattern.name, level)]).apply(lambda ami: {config.region: ami})
        excluded = config.excluded(pattern.benchmark.key)

        def facts_of(values: list, pattern=pattern, level=level, excluded=excluded) -> dict[str, Any]:
            amis_by_region, key_arn = values
            return consumer_facts(stack=config.stack, pattern=pattern, level=level, region=config.region,
                                  kubernetes_version=config.kubernetes_version, architecture=config.architecture,
                                  ip_family=config.ip_family, excluded=excluded, amis=amis_by_region,
                                  kms_key_arn=key_arn, region_kms_keys=region_kms_keys, user_tags=config.tags,
                                  vpc_cidr=config.vpc_cidr)

        facts = pulumi.Output.all(amis, kms_key_arn).apply(facts_of)
        opts = pulumi.ResourceOptions(parent=component) if component is not None else None
        name = f"ami-{pattern.name}-level{level}" if component is not None else f"consumer-{pattern.name}-level{level}"
        publish_parameters(name, facts, parameter_prefix(config.stack, pattern.name, level), pattern.name, level,
                           tags, opts)
        published[f"{pattern.name}/level-{level}"] = facts
    return published


def ami_only_notes(config: Any) -> list[str]:
    """One warning per selected (pattern, level) that builds nothing: under `amiOnly` such a pattern yields no AMI,
    so say what the stack outputs for it instead."""
    from hardened_eks.consume.facts import parameter_prefix

    notes = []
    for pattern, level in config.node_groups():
        if pattern.builds_ami:
            continue
        source = pattern.source
        public = source.parameter_name(config.kubernetes_version, config.architecture) if hasattr(
            source, "parameter_name") else "its source AMI"
        notes.append(
            f"amiOnly: {pattern.name} level {level} builds no AMI (method {pattern.method.value}: the stock AMI is "
            f"hardened by its settings at boot); the stack outputs instead its AMI from AWS's public SSM parameter "
            f"{public} and its settings: stack output amiConsumers[\"{pattern.name}/level-{level}\"] "
            f"(userDataExample, bootstrap {pattern.bootstrap.value}) and SSM parameters "
            f"{parameter_prefix(config.stack, pattern.name, level)}/{{amis,user-data-example,...}}")
    return notes

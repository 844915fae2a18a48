"""Resolve the source AMI of a (pattern, level) at deploy time, with errors a user can act on."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from hardened_eks.config import StackConfig
from hardened_eks.patterns import MarketplaceSource, Pattern, SsmParameterSource


def resolve_source_ami(config: StackConfig, pattern: Pattern, level: int,
                       opts: pulumi.InvokeOptions | None = None) -> str:
    """The AMI id to start from: a pin from config wins; otherwise the registry's look-up."""
    pinned = config.source_ami(pattern.name, level)
    if pinned:
        return pinned
    source = pattern.source
    if isinstance(source, SsmParameterSource):
        name = source.parameter_name(config.kubernetes_version, config.architecture)
        try:
            return aws.ssm.get_parameter(name=name, opts=opts).value
        except Exception as error:  # the provider raises a bare Exception with AWS's message
            raise pulumi.RunError(
                f"{pattern.name} level {level}: cannot read the public SSM parameter {name} in {config.region} "
                f"({_first_line(error)}); check that Kubernetes {config.kubernetes_version} and architecture "
                f"{config.architecture} are published for this pattern in this region, or pin "
                f"hardened-eks:sourceAmis.{pattern.name}") from None
    if isinstance(source, MarketplaceSource):
        product = source.products[level]
        filters = [aws.ec2.GetAmiFilterArgs(name="name", values=[source.name_filter(level)]),
                   aws.ec2.GetAmiFilterArgs(name="architecture", values=[config.architecture]),
                   aws.ec2.GetAmiFilterArgs(name="state", values=["available"])]
        product_code = config.source_product_codes.get((pattern.name, level)) or source.product_codes.get(level)
        if product_code:
            filters.append(aws.ec2.GetAmiFilterArgs(name="product-code", values=[product_code]))
        try:
            return aws.ec2.get_ami(owners=[source.owner], most_recent=True, filters=filters, opts=opts).id
        except Exception as error:
            raise pulumi.RunError(
                f"{pattern.name} level {level}: no AMI named '{source.name_filter(level)}' ({config.architecture}) "
                f"is visible to this account in {config.region} ({_first_line(error)}). Subscribe the account to "
                f"the AWS Marketplace product \"{product}\" (https://aws.amazon.com/marketplace, search for it), "
                f"or pin hardened-eks:sourceAmis.{pattern.name}") from None
    raise TypeError(f"unknown source type {type(source).__name__}")


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or ["unknown error"])[0]

"""Amazon Inspector for the stack: optionally switched on for EC2, and one CIS scan per level.

Turning Inspector on is account-wide, so the Enabler is created only when config asks and is never
turned off by `pulumi destroy` (retain on delete). Each CIS scan configuration targets this
account's instances carrying the scan tag of its level; it is created after the node groups, once
their nodes are managed by Systems Manager (Inspector assesses no other), and replaced whenever
their AMI ids change, so every rebuild is scanned once; the collector re-scans a node that still
ended SSM_UNMANAGED.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from hardened_eks.inspector import output_key, scan_name, scan_targets, security_level
from hardened_eks.inspector.scan_configuration import CisScanConfiguration, CisScanConfigurationArgs


@dataclass
class InspectorArgs:
    stack: str
    region: str
    enable_inspector: bool
    # Per level to CIS-scan, the AMI ids its Amazon Linux node groups run (Inspector cannot CIS-scan
    # Bottlerocket). A change of a level's AMI ids replaces that level's scan configuration.
    ami_ids_by_level: Mapping[int, Sequence[pulumi.Input[str]]] = field(default_factory=dict)
    # What the scans wait for: the node groups, so their nodes exist when the one-time scan runs.
    scan_after: Sequence[pulumi.Resource] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)


class Inspector(pulumi.ComponentResource):
    scan_configuration_arns: pulumi.Output[dict[str, str]]

    def __init__(self, name: str, args: InspectorArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("hardened-eks:inspector:Inspector", name, None, opts)
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        enablers: list[pulumi.Resource] = []
        if args.enable_inspector:
            enablers.append(aws.inspector2.Enabler(
                f"{name}-ec2", account_ids=[account_id], resource_types=["EC2"],
                # Inspector may be required by others in this account: destroy leaves it on.
                opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True)))

        arns: dict[str, pulumi.Output[str]] = {}
        for level, ami_ids in sorted(args.ami_ids_by_level.items()):
            configuration = CisScanConfiguration(
                f"{name}-cis-level{level}",
                CisScanConfigurationArgs(
                    region=args.region, scan_name=scan_name(args.stack, level), security_level=security_level(level),
                    targets=account_id.apply(lambda account, lv=level: scan_targets(args.stack, lv, account)),
                    ami_ids=pulumi.Output.all(*ami_ids).apply(lambda ids: sorted(set(ids))), tags=args.tags),
                pulumi.ResourceOptions(parent=self, depends_on=[*enablers, *args.scan_after]))
            arns[output_key(level)] = configuration.id

        self.scan_configuration_arns = pulumi.Output.all(**arns) if arns else pulumi.Output.from_input({})
        self.register_outputs({"scanConfigurationArns": self.scan_configuration_arns})

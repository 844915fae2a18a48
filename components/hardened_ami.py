"""One hardened EKS node AMI per (pattern, level), built by Packer through a pulumi-command Command.

The build hash is a content hash of the source AMI id, the Packer templates and provisioner scripts,
the rendered hardening script and every build variable; it travels inside the spec in the Command's
environment. Nothing else (no timestamp, no random value, no path of this machine) reaches a resource
input, so an unchanged stack builds nothing and an `al2023` exclusion rebuilds only the AL2023 images.

The Command has no `triggers`: the pulumi-command SDK marks triggers replace-on-change, and a replacement
runs the OLD resource's `delete` after the new build. Without them an input change runs `update`, which
builds and then prunes to the retention count; `delete` removes only what its own resource produced
(hardened_eks/ami_build/runner.py). Builds wait for the builder's egress (NAT routes, VPC endpoints) and
IAM policies, and otherwise run in parallel with each other and with the EKS control plane.

The builder is private and reached through SSM Session Manager: an instance profile made for the
build, a security group without inbound rules, no public address, IMDSv2 only, encrypted volumes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
from pulumi_command import local

from hardened_eks import tags
from hardened_eks.ami_build.spec import (
    BUILDER_ENV,
    EKS_AMI_RELEASES,
    SPEC_ENV,
    BuildOutput,
    BuildSpec,
    ami_parameter_name,
    hardening_script,
    sha256,
    template_digest,
)
from hardened_eks.ami_build.volumes import partition_volumes
from hardened_eks.patterns import BuildMethod, MarketplaceSource, Pattern

# The bucket from which awslabs/amazon-eks-ami installs EKS node binaries (method 2 only).
EKS_BINARY_BUCKET = "amazon-eks"
# Copies to a region without a key of ours use the AWS-managed EBS key; Packer wants every copy
# region named once a key map is given. Config demands customer keys where AMIs are shared.
AWS_MANAGED_EBS_KEY = "alias/aws/ebs"
# How the Command starts the runner: no absolute path, because pulumi-command runs `delete` with the inputs
# stored at create time, perhaps on another machine or checkout. The Python is $HARDENED_EKS_PYTHON, else the
# project's virtualenv (Pulumi runs commands in the program's folder), else python3 on PATH.
RUNNER_LAUNCHER = ('if [ -n "${HARDENED_EKS_PYTHON:-}" ]; then py=$HARDENED_EKS_PYTHON; '
                   'elif [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi; '
                   'exec "$py" -m hardened_eks.ami_build "$1"')
RUNNER_INTERPRETER = ["/bin/sh", "-c", RUNNER_LAUNCHER, "hardened-eks-ami-build"]


@dataclass
class HardenedAmiArgs:
    stack: str
    pattern: Pattern
    level: int
    region: str
    kubernetes_version: str
    source_ami_id: pulumi.Input[str]
    vpc_id: pulumi.Input[str]
    subnet_id: pulumi.Input[str]  # a private subnet
    kms_key_arn: pulumi.Input[str]
    instance_type: str
    ip_family: str = "ipv4"
    excluded: tuple[str, ...] = ()
    settings: dict[str, str] = field(default_factory=dict)  # cis-harden.sh apply --set NAME=VALUE
    # Controls only those site values meet: method 2 applies just these to the CIS image.
    site_controls: tuple[str, ...] = ()
    ami_regions: tuple[str, ...] = ()
    region_kms_key_ids: dict[str, str] = field(default_factory=dict)
    share_accounts: tuple[str, ...] = ()
    retention: int = 2
    user_tags: dict[str, str] = field(default_factory=dict)
    results_root: str = "results"
    # Method 2: `<kubernetes patch>/<build date>` of the EKS node binaries (hardened_eks.ami_build.eks_binaries).
    eks_binaries: pulumi.Input[str] = ""
    # What must exist before a builder can reach AWS (the network's NAT routes and VPC endpoints).
    build_after: list[pulumi.Resource] = field(default_factory=list)


class HardenedAmi(pulumi.ComponentResource):
    ami_id: pulumi.Output[str]
    amis: pulumi.Output[dict]
    build_hash: pulumi.Output[str]

    def __init__(self, name: str, args: HardenedAmiArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("hardened-eks:ami:HardenedAmi", name, None, opts)
        if not args.pattern.builds_ami:
            raise ValueError(f"{args.pattern.name} builds no AMI (method {args.pattern.method})")
        child = pulumi.ResourceOptions(parent=self)
        base = tags.base_tags(args.stack, args.user_tags)
        partition = aws.get_partition_output(opts=pulumi.InvokeOutputOptions(parent=self)).partition

        role = aws.iam.Role(f"{name}-builder-role", description=f"Packer builder of {name}: SSM Session Manager only",
                            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                                "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                "Action": "sts:AssumeRole"}]}),
                            tags=base, opts=child)
        # The builder registers with SSM only once its role's policies are attached.
        role_policies: list[pulumi.Resource] = [aws.iam.RolePolicyAttachment(
            f"{name}-builder-ssm", role=role.name,
            policy_arn=partition.apply(lambda p: f"arn:{p}:iam::aws:policy/AmazonSSMManagedInstanceCore"), opts=child)]
        if args.pattern.method is BuildMethod.EKS_ON_CIS_AMI:
            role_policies.append(aws.iam.RolePolicy(f"{name}-builder-eks-binaries", role=role.id,
                                                    policy=partition.apply(_eks_binaries_policy), opts=child))
        profile = aws.iam.InstanceProfile(f"{name}-builder-profile", role=role.name, tags=base, opts=child)

        # Session Manager needs no inbound rule; outbound HTTPS reaches SSM, S3 and package
        # repositories, HTTP the Amazon Linux 2 yum mirrors.
        everywhere = {"cidr_blocks": ["0.0.0.0/0"]}
        if args.ip_family == "ipv6":
            everywhere["ipv6_cidr_blocks"] = ["::/0"]
        security_group = aws.ec2.SecurityGroup(
            f"{name}-builder-sg", vpc_id=args.vpc_id, description=f"Packer builder of {name}: no inbound access",
            egress=[aws.ec2.SecurityGroupEgressArgs(protocol="tcp", from_port=port, to_port=port,
                                                    description=purpose, **everywhere)
                    for port, purpose in ((443, "HTTPS: SSM, S3, package repositories"),
                                          (80, "HTTP: Amazon Linux 2 package mirrors"))],
            tags={**base, "Name": f"{name}-builder"}, opts=child)

        benchmark = args.pattern.benchmark
        script = hardening_script(benchmark.key, args.level, tuple(args.excluded), args.ip_family)
        volumes = partition_volumes(args.pattern, args.level, tuple(args.excluded), args.ip_family)
        unimplemented = _unimplemented(benchmark.key, args.level, args.excluded, args.ip_family)
        if unimplemented:
            pulumi.log.warn(f"{args.pattern.name} level {args.level}: {unimplemented} {benchmark.key} controls have no "
                            "implementation yet; they audit as `fail`, so the build gate will stop this build until "
                            "they are implemented or excluded", resource=self)

        method_1 = args.pattern.method is BuildMethod.HARDEN_EKS_OPTIMIZED
        # Method 1 applies every control with the site values; method 2 only the controls they serve, and
        # again those the EKS install can undo (unless the stack excludes them).
        site_controls = () if method_1 else tuple(args.site_controls)
        eks_install_controls = tuple(c for c in args.pattern.eks_install_controls.get(args.level, ())
                                     if c not in args.excluded)
        marketplace_product = (args.pattern.source.products[args.level]
                               if isinstance(args.pattern.source, MarketplaceSource) else "")

        def build_spec(values: list) -> BuildSpec:
            source_ami_id, kms_key_arn, eks_binaries = values
            return BuildSpec(
                stack=args.stack, pattern=args.pattern.name, level=args.level, method=args.pattern.method.value,
                os_family=args.pattern.os_family, benchmark=benchmark.key, benchmark_version=benchmark.version,
                excluded=tuple(args.excluded), ip_family=args.ip_family, kubernetes_version=args.kubernetes_version,
                region=args.region, source_ami_id=source_ami_id, instance_type=args.instance_type,
                kms_key_id=kms_key_arn, ami_regions=tuple(args.ami_regions),
                region_kms_key_ids={r: args.region_kms_key_ids.get(r, AWS_MANAGED_EBS_KEY) for r in args.ami_regions},
                share_accounts=tuple(args.share_accounts),
                ami_tags=tags.node_tags(args.stack, args.user_tags, args.pattern, args.level),
                run_tags={**base, tags.PATTERN: args.pattern.name, tags.LEVEL: str(args.level)},
                eks_ami_release=EKS_AMI_RELEASES[args.pattern.os_family]
                if args.pattern.method is BuildMethod.EKS_ON_CIS_AMI else "",
                volumes=volumes,
                settings=dict(args.settings) if method_1 or site_controls else {},
                site_controls=site_controls, eks_install_controls=eks_install_controls if not method_1 else (),
                eks_binaries=eks_binaries if not method_1 else "", marketplace_product=marketplace_product,
                script_sha256=sha256(script), template_sha256=template_digest(), retention=args.retention,
                results_root=args.results_root,
            ).with_hash()

        spec = pulumi.Output.all(args.source_ami_id, args.kms_key_arn, args.eks_binaries).apply(build_spec)
        self.build_hash = spec.apply(lambda s: s.build_hash)

        build = local.Command(
            f"{name}-packer-build",
            interpreter=RUNNER_INTERPRETER,
            create="create", update="update", delete="delete",
            environment={SPEC_ENV: spec.apply(lambda s: s.to_json()), BUILDER_ENV["subnet_id"]: args.subnet_id,
                         BUILDER_ENV["security_group_id"]: security_group.id,
                         BUILDER_ENV["instance_profile"]: profile.name},
            logging=local.Logging.STDERR,
            opts=pulumi.ResourceOptions(parent=self,
                                        depends_on=[profile, security_group, *role_policies, *args.build_after],
                                        custom_timeouts=pulumi.CustomTimeouts(create="6h", update="6h",
                                                                              delete="1h")))
        output = build.stdout.apply(BuildOutput.parse)
        self.ami_id = output.apply(lambda o: o.ami_id)
        self.amis = output.apply(lambda o: o.amis)

        aws.ssm.Parameter(f"{name}-current-ami", name=ami_parameter_name(args.stack, args.pattern.name, args.level),
                          type="String", data_type="aws:ec2:image", value=self.ami_id,
                          description=f"Current hardened AMI of {args.pattern.name} level {args.level}",
                          tags=base, opts=child)

        self.register_outputs({"ami_id": self.ami_id, "amis": self.amis, "build_hash": self.build_hash})


def _eks_binaries_policy(partition: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "ReadEksNodeBinaries", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": [f"arn:{partition}:s3:::{EKS_BINARY_BUCKET}", f"arn:{partition}:s3:::{EKS_BINARY_BUCKET}/*"]},
        # The EKS registry's account differs per region (opt-in regions have their own; see get-ecr-uri.sh).
        {"Sid": "PullEksPauseImage", "Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
         "Resource": f"arn:{partition}:ecr:*:*:repository/eks/pause"},
        {"Sid": "LogInToEcr", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
    ]}, sort_keys=True)


def _unimplemented(benchmark: str, level: int, excluded: tuple[str, ...], ip_family: str) -> int:
    import hardening

    return int(hardening.summarize(benchmark, level, tuple(excluded), ip_family).get("not_implemented", 0))

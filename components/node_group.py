"""One EKS managed node group per hardened AMI (pattern, level), launched from our own template.

pulumi-eks could generate a launch template, but that one cannot encrypt volumes with our key or
tag instances and volumes; so this component writes the whole launch template itself: the AMI,
IMDSv2, encrypted EBS for every device the OS boots with, no SSH key, no public IP, the tag scheme
Inspector and the report rely on, and the bootstrap user data for the pattern's OS.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_eks as eks

from hardened_eks.ami_build.volumes import partition_volumes
from hardened_eks.config import NodeGroupSize
from hardened_eks.patterns import Pattern
from hardened_eks.tags import node_tags
from hardened_eks.user_data import ClusterConnection, NodeBootstrap, encode, node_labels, render

# What a node itself needs: join the cluster, pull images, be reachable by SSM (no SSH), and be
# assessed by Inspector's CIS scans. Pods get AWS permissions through Pod Identity, never from here.
NODE_ROLE_POLICIES = {
    "worker": "AmazonEKSWorkerNodePolicy",
    "ecr-pull": "AmazonEC2ContainerRegistryPullOnly",
    "ssm": "AmazonSSMManagedInstanceCore",
    "inspector-cis": "AmazonInspector2ManagedCisPolicy",
}

# Hop limit 1: IMDS answers the host only. No pod we run needs the node's IMDS (add-ons get
# credentials through Pod Identity), so a container cannot borrow the node role.
IMDS_HOP_LIMIT = 1


def node_group_name(pattern: Pattern, level: int) -> str:
    """The managed node group's name inside its cluster (unique per (pattern, level))."""
    return f"{pattern.name}-level{level}"


@dataclass
class NodeGroupArgs:
    cluster: eks.Cluster
    cluster_name: pulumi.Input[str]
    connection: pulumi.Output[ClusterConnection]
    cluster_security_group_id: pulumi.Input[str]
    pattern: Pattern
    level: int
    ami_id: pulumi.Input[str]
    source_ami_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    kms_key_arn: pulumi.Input[str]
    stack: str
    instance_type: str = "m6i.large"
    size: NodeGroupSize = field(default_factory=NodeGroupSize)
    ip_family: str = "ipv4"
    excluded: tuple[str, ...] = ()
    user_tags: Mapping[str, str] = field(default_factory=dict)
    build_hash: pulumi.Input[str] | None = None  # of the hardened AMI build, tagged on nodes and volumes
    # What must exist before nodes start: the Pod Identity agent and the VPC CNI's association, without which
    # aws-node has no credentials and nodes never become Ready.
    wait_for: Sequence[pulumi.Resource] = ()


class NodeGroup(pulumi.ComponentResource):
    pattern: str
    level: int
    labels: dict[str, str]
    node_group_name: pulumi.Output[str]
    launch_template_id: pulumi.Output[str]
    launch_template_version: pulumi.Output[int]  # the version the node group runs; the proof's Jobs follow it
    service_cidr: pulumi.Output[str]  # the cluster's service range (the proof's NetworkPolicy needs it)
    ami_id: pulumi.Output[str]
    source_ami_id: pulumi.Output[str]
    role_arn: pulumi.Output[str]

    def __init__(self, name: str, args: NodeGroupArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("hardened-eks:node_group:NodeGroup", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        pattern, level = args.pattern, args.level
        self.pattern, self.level = pattern.name, level
        self.labels = node_labels(pattern, level)
        tags = node_tags(args.stack, args.user_tags, pattern, level, build_hash=args.build_hash)  # type: ignore[arg-type]
        named = {**tags, "Name": f"{args.stack}-{node_group_name(pattern, level)}"}

        partition = aws.get_partition_output(opts=pulumi.InvokeOutputOptions(parent=self)).partition
        role = aws.iam.Role(
            f"{name}-role",
            description=f"EKS nodes of {pattern.name} level {level}",
            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            tags=tags, opts=child)
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-{role_name}", role=role.name,
                policy_arn=partition.apply(lambda p, policy=policy: f"arn:{p}:iam::aws:policy/{policy}"), opts=child)
            for role_name, policy in NODE_ROLE_POLICIES.items()
        ]
        # Created by us, not implicitly by EKS, so it is replaced with the role and removed on destroy.
        access_entry = aws.eks.AccessEntry(f"{name}-access", cluster_name=args.cluster_name,
                                           principal_arn=role.arn, type="EC2_LINUX", tags=tags, opts=child)

        bootstrap = NodeBootstrap(pattern, level, excluded=args.excluded)
        # The OS devices, then the AMI's separate-partition volumes (/var, /var/log, ...): listing them keeps
        # them encrypted with the stack key, like the root volume, whatever key their snapshots used.
        devices = (*pattern.ebs_devices,
                   *(v.device for v in partition_volumes(pattern, level, args.excluded, args.ip_family)))
        launch_template = aws.ec2.LaunchTemplate(
            f"{name}-lt",
            description=f"hardened-eks {pattern.name} level {level} ({pattern.benchmark.label})",
            image_id=args.ami_id,
            instance_type=args.instance_type,
            user_data=args.connection.apply(lambda cluster: encode(render(bootstrap, cluster))),
            update_default_version=True,
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled", http_tokens="required",
                http_put_response_hop_limit=IMDS_HOP_LIMIT, instance_metadata_tags="disabled"),
            block_device_mappings=[
                aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                    device_name=device,
                    # No size: each volume keeps its snapshot's size, so no AMI is too big for it.
                    ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                        encrypted="true", kms_key_id=args.kms_key_arn, volume_type="gp3",
                        delete_on_termination="true"))
                for device in devices
            ],
            # Listing the interface makes "no public IP" explicit instead of inherited from the
            # subnet; with it, EKS no longer adds the cluster security group, so we name it.
            network_interfaces=[aws.ec2.LaunchTemplateNetworkInterfaceArgs(
                device_index=0, associate_public_ip_address="false", delete_on_termination="true",
                security_groups=[args.cluster_security_group_id],
                ipv6_address_count=1 if args.ip_family == "ipv6" else None)],
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=named)
                for kind in ("instance", "volume", "network-interface")
            ],
            tags=tags,
            opts=child)

        self.node_group_name = pulumi.Output.from_input(node_group_name(pattern, level))
        eks.ManagedNodeGroup(
            f"{name}-nodes",
            cluster=args.cluster,
            node_group_name=node_group_name(pattern, level),
            node_role_arn=role.arn,
            subnet_ids=args.subnet_ids,
            launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
                id=launch_template.id, version=launch_template.latest_version.apply(str)),
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                min_size=args.size.min_size, desired_size=args.size.desired_size, max_size=args.size.max_size),
            labels=self.labels,
            tags=tags,
            # The name is fixed, so a replacement must remove the old group first.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[access_entry, *attachments, *args.wait_for],
                                        delete_before_replace=True))

        self.launch_template_id = launch_template.id
        self.launch_template_version = launch_template.latest_version
        self.service_cidr = args.connection.apply(lambda cluster: cluster.service_cidr)
        self.ami_id = pulumi.Output.from_input(args.ami_id)
        self.source_ami_id = pulumi.Output.from_input(args.source_ami_id)
        self.role_arn = role.arn
        self.register_outputs({
            "node_group_name": self.node_group_name,
            "launch_template_id": self.launch_template_id,
            "ami_id": self.ami_id,
            "source_ami_id": self.source_ami_id,
            "role_arn": self.role_arn,
        })

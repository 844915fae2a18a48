"""The network that AMI builds and nodes share: a private-by-default VPC, or an existing one.

Nodes and Packer builders live in private subnets without public addresses. They reach AWS
through VPC endpoints where AWS offers one, and the internet (container images, OS packages)
through NAT. Flow logs record every accepted and rejected flow.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from hardened_eks.config import ExistingVpc

# Interface endpoints private nodes and builds need: SSM Session Manager (builds, node access),
# ECR (image pulls), STS (IRSA / Pod Identity), CloudWatch Logs, EKS Auth (Pod Identity), EC2 (VPC CNI).
INTERFACE_ENDPOINT_SERVICES = ("ssm", "ssmmessages", "ec2messages", "ec2", "ecr.api", "ecr.dkr", "sts", "logs",
                               "eks-auth")


# Only real Availability Zones: Local Zones and Wavelength Zones have no EKS control plane (and opted-in Local
# Zones sort before the region's zones by name: us-west-2-lax-1a < us-west-2a).
ZONE_TYPE_FILTER = {"name": "zone-type", "values": ["availability-zone"]}
# Zone ids EKS refuses for control-plane subnets (EKS user guide, VPC and subnet requirements). Names map to
# different ids per account, so these are matched by id.
EKS_UNSUPPORTED_ZONE_IDS = frozenset({"use1-az3", "usw1-az2", "cac1-az3"})


class ZoneError(Exception):
    """The region has too few zones where EKS runs a control plane."""


def eks_zones(names: list[str], zone_ids: list[str], count: int, region: str = "") -> list[str]:
    """The first `count` zone names (in name order) whose zone id EKS accepts for a control plane."""
    usable = sorted(name for name, zone_id in zip(names, zone_ids, strict=True)
                    if zone_id not in EKS_UNSUPPORTED_ZONE_IDS)
    if len(usable) < count:
        left_out = sorted(f"{n} ({i})" for n, i in zip(names, zone_ids, strict=True) if i in EKS_UNSUPPORTED_ZONE_IDS)
        raise ZoneError(
            f"hardened-eks:availabilityZoneCount: {count} is not valid; region {region or '?'} has {len(usable)} "
            f"availability zone(s) where EKS places a control plane ({', '.join(usable) or 'none'}"
            + (f"; EKS refuses {', '.join(left_out)}" if left_out else "") + f"); allowed: 2 to {len(usable)}")
    return usable[:count]


@dataclass
class NetworkArgs:
    availability_zones: list[str]
    vpc_cidr: str = "10.0.0.0/16"
    ip_family: str = "ipv4"
    nat_gateways: str = "single"  # "single" | "perAz"
    interface_endpoints: bool = True
    log_retention_days: int = 90
    flow_log_kms_key_arn: pulumi.Input[str] | None = None
    existing_vpc: ExistingVpc | None = None
    tags: dict[str, str] = field(default_factory=dict)


def subnet_layout(vpc_cidr: str, zone_count: int) -> tuple[list[str], list[str]]:
    """Private subnets take one eighth of the VPC each; public subnets share the last eighth.

    Nodes (and, with the VPC CNI, every pod) draw addresses from the private subnets, so they get
    almost all the space; public subnets hold only NAT gateways and load balancers.
    """
    eighths = list(ipaddress.IPv4Network(vpc_cidr).subnets(prefixlen_diff=3))
    public_pool = list(eighths[-1].subnets(prefixlen_diff=3))
    return [str(n) for n in eighths[:zone_count]], [str(n) for n in public_pool[:zone_count]]


def ipv6_subnet(vpc_ipv6_cidr: str, index: int) -> str:
    """The index-th /64 of the VPC's /56."""
    return str(list(ipaddress.IPv6Network(vpc_ipv6_cidr).subnets(new_prefix=64))[index])


class Network(pulumi.ComponentResource):
    vpc_id: pulumi.Output[str]
    vpc_cidr: pulumi.Output[str]
    private_subnet_ids: pulumi.Output[list[str]]
    public_subnet_ids: pulumi.Output[list[str]]
    # What a private instance needs before it can reach AWS and the internet (NAT, its routes, the VPC
    # endpoints); a Packer builder launched earlier fails to register with SSM. Empty for an existing VPC.
    egress_ready: list[pulumi.Resource]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("hardened-eks:network:Network", name, None, opts)
        if args.existing_vpc:
            self._adopt(args.existing_vpc)
        else:
            self._create(name, args)
        self.register_outputs({
            "vpc_id": self.vpc_id,
            "vpc_cidr": self.vpc_cidr,
            "private_subnet_ids": self.private_subnet_ids,
            "public_subnet_ids": self.public_subnet_ids,
        })

    def _adopt(self, existing: ExistingVpc) -> None:
        vpc = aws.ec2.get_vpc_output(id=existing.vpc_id, opts=pulumi.InvokeOutputOptions(parent=self))
        self.vpc_id = pulumi.Output.from_input(existing.vpc_id)
        self.egress_ready = []
        self.vpc_cidr = vpc.cidr_block
        self.private_subnet_ids = pulumi.Output.from_input(list(existing.private_subnet_ids))
        self.public_subnet_ids = pulumi.Output.from_input(list(existing.public_subnet_ids))

    def _create(self, name: str, args: NetworkArgs) -> None:
        child = pulumi.ResourceOptions(parent=self)
        dual_stack = args.ip_family == "ipv6"
        zones = args.availability_zones

        def tags(role: str, **extra: str) -> dict[str, str]:
            return {**args.tags, "Name": f"{name}-{role}", **extra}

        vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=args.vpc_cidr, enable_dns_hostnames=True, enable_dns_support=True,
                          assign_generated_ipv6_cidr_block=dual_stack or None, tags=tags("vpc"), opts=child)
        # CIS AWS Foundations: the default security group allows nothing.
        aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=vpc.id, ingress=[], egress=[],
                                     tags=tags("default-sg-locked"), opts=child)
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags=tags("igw"), opts=child)
        egress_only_igw = (aws.ec2.EgressOnlyInternetGateway(f"{name}-eigw", vpc_id=vpc.id, tags=tags("eigw"),
                                                             opts=child) if dual_stack else None)

        private_cidrs, public_cidrs = subnet_layout(args.vpc_cidr, len(zones))
        public_rt = aws.ec2.RouteTable(f"{name}-public-rt", vpc_id=vpc.id, tags=tags("public-rt"), opts=child)
        aws.ec2.Route(f"{name}-public-default", route_table_id=public_rt.id, destination_cidr_block="0.0.0.0/0",
                      gateway_id=igw.id, opts=child)
        if dual_stack:
            aws.ec2.Route(f"{name}-public-default-v6", route_table_id=public_rt.id,
                          destination_ipv6_cidr_block="::/0", gateway_id=igw.id, opts=child)

        public_subnets, private_subnets, private_rts, nat_gateways = [], [], [], []
        egress_ready: list[pulumi.Resource] = []
        for index, zone in enumerate(zones):
            v6 = {}
            if dual_stack:
                v6 = {"ipv6_cidr_block": vpc.ipv6_cidr_block.apply(lambda c, i=index: ipv6_subnet(c, i)),
                      "assign_ipv6_address_on_creation": True,
                      "enable_resource_name_dns_aaaa_record_on_launch": True}
            public = aws.ec2.Subnet(f"{name}-public-{zone}", vpc_id=vpc.id, cidr_block=public_cidrs[index],
                                    availability_zone=zone, map_public_ip_on_launch=False,
                                    tags=tags(f"public-{zone}", **{"kubernetes.io/role/elb": "1"}), opts=child, **v6)
            aws.ec2.RouteTableAssociation(f"{name}-public-{zone}", subnet_id=public.id, route_table_id=public_rt.id,
                                          opts=child)
            public_subnets.append(public)
            if dual_stack:
                v6["ipv6_cidr_block"] = vpc.ipv6_cidr_block.apply(lambda c, i=index: ipv6_subnet(c, 128 + i))
            private = aws.ec2.Subnet(f"{name}-private-{zone}", vpc_id=vpc.id, cidr_block=private_cidrs[index],
                                     availability_zone=zone, map_public_ip_on_launch=False,
                                     tags=tags(f"private-{zone}", **{"kubernetes.io/role/internal-elb": "1"}),
                                     opts=child, **v6)
            private_subnets.append(private)
            if index == 0 or args.nat_gateways == "perAz":
                eip = aws.ec2.Eip(f"{name}-nat-{zone}", domain="vpc", tags=tags(f"nat-{zone}"),
                                  opts=pulumi.ResourceOptions(parent=self, depends_on=[igw]))
                nat_gateways.append(aws.ec2.NatGateway(f"{name}-nat-{zone}", allocation_id=eip.id,
                                                       subnet_id=public.id, tags=tags(f"nat-{zone}"), opts=child))
            route_table = aws.ec2.RouteTable(f"{name}-private-{zone}", vpc_id=vpc.id, tags=tags(f"private-{zone}"),
                                             opts=child)
            egress_ready.append(aws.ec2.Route(f"{name}-private-{zone}-default", route_table_id=route_table.id,
                                              destination_cidr_block="0.0.0.0/0", nat_gateway_id=nat_gateways[-1].id,
                                              opts=child))
            if egress_only_igw:
                egress_ready.append(aws.ec2.Route(
                    f"{name}-private-{zone}-default-v6", route_table_id=route_table.id,
                    destination_ipv6_cidr_block="::/0", egress_only_gateway_id=egress_only_igw.id, opts=child))
            egress_ready.append(aws.ec2.RouteTableAssociation(f"{name}-private-{zone}", subnet_id=private.id,
                                                              route_table_id=route_table.id, opts=child))
            private_rts.append(route_table)

        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        egress_ready.append(aws.ec2.VpcEndpoint(
            f"{name}-s3", vpc_id=vpc.id, vpc_endpoint_type="Gateway",
            service_name=region.apply(lambda r: f"com.amazonaws.{r}.s3"),
            route_table_ids=[rt.id for rt in private_rts], tags=tags("s3"), opts=child))
        if args.interface_endpoints:
            endpoint_sg = aws.ec2.SecurityGroup(
                f"{name}-endpoints", vpc_id=vpc.id, description="HTTPS from inside the VPC to AWS service endpoints",
                ingress=[aws.ec2.SecurityGroupIngressArgs(
                    protocol="tcp", from_port=443, to_port=443, cidr_blocks=[args.vpc_cidr],
                    ipv6_cidr_blocks=[vpc.ipv6_cidr_block] if dual_stack else None,
                    description="HTTPS from the VPC")],
                tags=tags("endpoints"), opts=child)
            for service in INTERFACE_ENDPOINT_SERVICES:
                egress_ready.append(aws.ec2.VpcEndpoint(
                    f"{name}-{service.replace('.', '-')}", vpc_id=vpc.id, vpc_endpoint_type="Interface",
                    private_dns_enabled=True, service_name=region.apply(lambda r, s=service: f"com.amazonaws.{r}.{s}"),
                    subnet_ids=[s.id for s in private_subnets], security_group_ids=[endpoint_sg.id],
                    tags=tags(service), opts=child))

        self._flow_logs(name, args, vpc, tags)
        self.egress_ready = egress_ready
        self.vpc_id = vpc.id
        self.vpc_cidr = vpc.cidr_block
        self.private_subnet_ids = pulumi.Output.all(*[s.id for s in private_subnets])
        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in public_subnets])

    def _flow_logs(self, name: str, args: NetworkArgs, vpc: aws.ec2.Vpc, tags) -> None:
        child = pulumi.ResourceOptions(parent=self)
        log_group = aws.cloudwatch.LogGroup(f"{name}-flow-logs", retention_in_days=args.log_retention_days,
                                            kms_key_id=args.flow_log_kms_key_arn, tags=tags("flow-logs"), opts=child)
        role = aws.iam.Role(f"{name}-flow-logs", assume_role_policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                           "Action": "sts:AssumeRole"}]}), tags=tags("flow-logs"), opts=child)
        aws.iam.RolePolicy(f"{name}-flow-logs", role=role.id, policy=log_group.arn.apply(lambda arn: json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Resource": [arn, f"{arn}:*"],
                           "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]}]})),
            opts=child)
        aws.ec2.FlowLog(f"{name}-flow-logs", vpc_id=vpc.id, traffic_type="ALL", log_destination_type="cloud-watch-logs",
                        log_destination=log_group.arn, iam_role_arn=role.arn, max_aggregation_interval=60,
                        tags=tags("flow-logs"), opts=child)

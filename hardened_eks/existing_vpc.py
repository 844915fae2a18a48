"""What the program can check of an `existingVpc` before it creates anything.

Nodes and Packer builders in its private subnets must reach AWS and the internet without a public address:
a default route through NAT (or a transit gateway, a firewall or another appliance), never an internet
gateway; every subnet in the stack's VPC; and, on an ipv6 stack, an IPv6 CIDR on every private subnet.
VPC endpoints instead of NAT are a legitimate design the program cannot list, so a private subnet without a
default route is reported only when it has no S3 gateway endpoint route either (the one endpoint that shows
in a route table); README "Using an existing VPC" lists the interface endpoints such a VPC needs.
"""

from __future__ import annotations

from typing import Any

from hardened_eks.config import ExistingVpc

KEY = "hardened-eks:existingVpc"


def problems(existing: ExistingVpc, ip_family: str, subnet_of: Any, route_table_of: Any) -> list[str]:
    """One line per problem; `subnet_of(id)` and `route_table_of(subnet_id)` answer like the AWS provider's
    get_subnet and get_route_table (route_table_of returns None for a subnet on the VPC's main table)."""
    found = []
    for subnet_id in existing.private_subnet_ids:
        subnet = subnet_of(subnet_id)
        where = f"{KEY}.privateSubnetIds: {subnet_id}"
        if subnet.vpc_id != existing.vpc_id:
            found.append(f"{where} is in {subnet.vpc_id}, not in vpcId {existing.vpc_id}")
            continue
        if subnet.map_public_ip_on_launch:
            found.append(f"{where} gives instances public addresses; nodes and builders must be private")
        if ip_family == "ipv6" and not subnet.ipv6_cidr_block:
            found.append(f"{where} has no IPv6 CIDR; an ipv6 stack's nodes need one")
        table = route_table_of(subnet_id)
        routes = list(getattr(table, "routes", None) or [])
        default = [r for r in routes if r.cidr_block == "0.0.0.0/0"]
        if any(r.gateway_id and r.gateway_id.startswith("igw-") for r in default):
            found.append(f"{where} routes 0.0.0.0/0 to an internet gateway: that is a public subnet")
        elif not default and not any(r.destination_prefix_list_id or r.vpc_endpoint_id for r in routes):
            found.append(f"{where} has no default route (NAT) and no S3 gateway endpoint: builders and nodes cannot "
                         "reach AWS from it (README: Using an existing VPC)")
    for subnet_id in existing.public_subnet_ids:
        subnet = subnet_of(subnet_id)
        if subnet.vpc_id != existing.vpc_id:
            found.append(f"{KEY}.publicSubnetIds: {subnet_id} is in {subnet.vpc_id}, not in vpcId {existing.vpc_id}")
    return found


def check(existing: ExistingVpc, ip_family: str) -> list[str]:
    """Ask the AWS provider (invokes, so `make plan` answers from its mocks)."""
    import pulumi_aws as aws

    def route_table_of(subnet_id: str):
        try:
            return aws.ec2.get_route_table(subnet_id=subnet_id)
        except Exception:  # no explicit association: the subnet uses the VPC's main route table
            return aws.ec2.get_route_table(vpc_id=existing.vpc_id, filters=[
                aws.ec2.GetRouteTableFilterArgs(name="association.main", values=["true"])])

    return problems(existing, ip_family, lambda subnet_id: aws.ec2.get_subnet(id=subnet_id), route_table_of)

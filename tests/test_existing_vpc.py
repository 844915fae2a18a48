"""An existingVpc's subnets, as the AWS provider describes them, checked before anything is created."""

from __future__ import annotations

from types import SimpleNamespace as Answer

import pytest

from hardened_eks import existing_vpc
from hardened_eks.config import ExistingVpc

VPC = "vpc-0123456789abcdef0"
EXISTING = ExistingVpc(vpc_id=VPC, private_subnet_ids=("subnet-0a", "subnet-0b"), public_subnet_ids=("subnet-0c",))


def subnet(vpc=VPC, public=False, ipv6=""):
    return Answer(vpc_id=vpc, map_public_ip_on_launch=public, ipv6_cidr_block=ipv6)


def route(cidr="", gateway="", nat="", prefix_list="", endpoint=""):
    return Answer(cidr_block=cidr, gateway_id=gateway, nat_gateway_id=nat, destination_prefix_list_id=prefix_list,
                  vpc_endpoint_id=endpoint)


NAT = Answer(routes=[route("10.0.0.0/16", gateway="local"), route("0.0.0.0/0", nat="nat-0123")])


def check(subnets=None, tables=None, ip_family="ipv4"):
    subnets = {"subnet-0a": subnet(ipv6="2600::/64"), "subnet-0b": subnet(ipv6="2600:1::/64"), "subnet-0c": subnet(),
               **(subnets or {})}
    tables = {"subnet-0a": NAT, "subnet-0b": NAT, **(tables or {})}
    return existing_vpc.problems(EXISTING, ip_family, subnets.__getitem__, tables.get)


def test_private_subnets_with_nat_pass():
    assert check() == [] and check(ip_family="ipv6") == []


@pytest.mark.parametrize(("subnets", "tables", "ip_family", "message"), [
    ({"subnet-0b": subnet(vpc="vpc-0ffffffffffffffff")}, None, "ipv4", "subnet-0b is in vpc-0ffffffffffffffff, not in vpcId"),
    ({"subnet-0a": subnet(public=True)}, None, "ipv4", "subnet-0a gives instances public addresses"),
    ({"subnet-0a": subnet()}, None, "ipv6", "subnet-0a has no IPv6 CIDR"),
    (None, {"subnet-0a": Answer(routes=[route("0.0.0.0/0", gateway="igw-0123")])}, "ipv4",
     "subnet-0a routes 0.0.0.0/0 to an internet gateway"),
    (None, {"subnet-0b": Answer(routes=[route("10.0.0.0/16", gateway="local")])}, "ipv4",
     "subnet-0b has no default route (NAT) and no S3 gateway endpoint"),
    ({"subnet-0c": subnet(vpc="vpc-0ffffffffffffffff")}, None, "ipv4", "publicSubnetIds: subnet-0c is in"),
])
def test_subnets_that_cannot_work_are_named(subnets, tables, ip_family, message):
    found = check(subnets, tables, ip_family)
    assert len(found) == 1 and message in found[0] and found[0].startswith("hardened-eks:existingVpc.")


def test_endpoints_instead_of_nat_are_accepted():
    endpoints_only = Answer(routes=[route("10.0.0.0/16", gateway="local"), route(prefix_list="pl-68a54001",
                                                                                  endpoint="vpce-0123")])
    assert check(tables={"subnet-0a": endpoints_only}) == []


def test_the_program_stops_before_any_resource_when_the_vpc_cannot_work(run_program, monkeypatch):
    from hardened_eks import program

    monkeypatch.setattr(program, "running_under_mocks", lambda: False)
    monkeypatch.setattr(program, "endpoint_problem", lambda config: None)
    monkeypatch.setattr(existing_vpc, "check", lambda existing, family: ["hardened-eks:existingVpc.privateSubnetIds: "
                                                                         "subnet-0a has no default route"])
    from hardened_eks.mocks import HardenedEksMocks

    mocks = HardenedEksMocks()
    with pytest.raises(Exception, match="subnet-0a has no default route"):
        run_program({"existingVpc": {"vpcId": VPC, "privateSubnetIds": ["subnet-0123456789abcdef0",
                                                                         "subnet-0123456789abcdef1"],
                                     "publicSubnetIds": []}}, mocks=mocks)
    assert [r for r in mocks.resources if r.custom] == []

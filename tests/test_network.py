"""The network under mocks: subnets per AZ, endpoints, no public IPs, dual stack, existing VPC."""

from __future__ import annotations

import json

from components.network import INTERFACE_ENDPOINT_SERVICES, subnet_layout


def subnets(mocks, kind):
    return [r for r in mocks.of_type("aws:ec2/subnet:Subnet") if f"-{kind}-" in r.name]


def test_subnet_layout_gives_private_subnets_most_space():
    private, public = subnet_layout("10.0.0.0/16", 3)
    assert private == ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]
    assert public == ["10.0.224.0/22", "10.0.228.0/22", "10.0.232.0/22"]
    assert len(set(private + public)) == 6


def test_one_private_and_one_public_subnet_per_zone(run_program):
    mocks = run_program({"availabilityZoneCount": "3"})
    private, public = subnets(mocks, "private"), subnets(mocks, "public")
    assert sorted(r.inputs["availabilityZone"] for r in private) == ["us-west-2a", "us-west-2b", "us-west-2c"]
    assert sorted(r.inputs["availabilityZone"] for r in public) == ["us-west-2a", "us-west-2b", "us-west-2c"]
    for subnet in private + public:
        assert subnet.inputs["mapPublicIpOnLaunch"] is False
    assert all(r.inputs["tags"]["kubernetes.io/role/internal-elb"] == "1" for r in private)
    assert all(r.inputs["tags"]["kubernetes.io/role/elb"] == "1" for r in public)
    assert all(r.parent == "network" for r in private + public)


def test_two_zones_and_a_nat_per_zone(run_program):
    mocks = run_program({"availabilityZoneCount": "2", "natGateways": "perAz"})
    assert len(subnets(mocks, "private")) == 2
    assert len(mocks.of_type("aws:ec2/natGateway:NatGateway")) == 2


def test_single_nat_by_default_and_private_routes_through_it(run_program):
    mocks = run_program()
    assert len(mocks.of_type("aws:ec2/natGateway:NatGateway")) == 1
    private_defaults = [r for r in mocks.of_type("aws:ec2/route:Route") if r.name.startswith("network-private")]
    assert len(private_defaults) == 3
    assert all(r.inputs.get("natGatewayId") and not r.inputs.get("gatewayId") for r in private_defaults)


def test_endpoints_for_private_nodes_and_builds(run_program):
    mocks = run_program()
    endpoints = mocks.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    services = sorted(r.inputs["serviceName"].rsplit(".", 1)[-1] if r.inputs["serviceName"].count(".") == 3
                      else r.inputs["serviceName"].split("us-west-2.", 1)[1] for r in endpoints)
    assert sorted([*INTERFACE_ENDPOINT_SERVICES, "s3"]) == services
    for required in ("ssm", "ssmmessages", "ec2messages", "ecr.api", "ecr.dkr", "sts", "logs", "eks-auth"):
        assert required in services
    interface = [r for r in endpoints if r.inputs["vpcEndpointType"] == "Interface"]
    assert all(r.inputs["privateDnsEnabled"] for r in interface)
    sg = mocks.named("network-endpoints")
    assert [(i["fromPort"], i["cidrBlocks"]) for i in sg.inputs["ingress"]] == [(443, ["10.0.0.0/16"])]


def test_flow_logs_and_locked_default_security_group(run_program):
    mocks = run_program({"logRetentionDays": "30"})
    flow_log = mocks.of_type("aws:ec2/flowLog:FlowLog")[0]
    assert flow_log.inputs["trafficType"] == "ALL"
    assert mocks.of_type("aws:cloudwatch/logGroup:LogGroup")[0].inputs["retentionInDays"] == 30
    policy = json.loads(mocks.of_type("aws:iam/rolePolicy:RolePolicy")[0].inputs["policy"])
    assert policy["Statement"][0]["Resource"] != "*"
    default_sg = mocks.of_type("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")[0]
    assert default_sg.inputs.get("ingress", []) == [] and default_sg.inputs.get("egress", []) == []


def test_dual_stack_when_ip_family_is_ipv6(run_program):
    mocks = run_program({"ipFamily": "ipv6"})
    assert mocks.of_type("aws:ec2/vpc:Vpc")[0].inputs["assignGeneratedIpv6CidrBlock"] is True
    blocks = [r.inputs["ipv6CidrBlock"] for r in mocks.of_type("aws:ec2/subnet:Subnet")]
    assert len(blocks) == 6 and len(set(blocks)) == 6 and all(b.endswith("/64") for b in blocks)
    assert len(mocks.of_type("aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway")) == 1


def test_ipv4_network_has_no_ipv6(run_program):
    mocks = run_program()
    assert not mocks.of_type("aws:ec2/vpc:Vpc")[0].inputs.get("assignGeneratedIpv6CidrBlock")
    assert not mocks.of_type("aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway")


def test_existing_vpc_creates_no_network_resources(run_program):
    existing = {"vpcId": "vpc-0123456789abcdef0",
                "privateSubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
                "publicSubnetIds": ["subnet-0123456789abcdef2"]}
    mocks = run_program({"existingVpc": existing})
    assert not [r for r in mocks.resources if r.custom and r.parent == "network"]
    assert mocks.exports["vpcId"] == "vpc-0123456789abcdef0"
    assert mocks.exports["privateSubnetIds"] == existing["privateSubnetIds"]


class ZonedMocks:
    """DescribeAvailabilityZones as EC2 answers it: opted-in Local and Wavelength Zones are listed unless the
    zone-type filter asks for Availability Zones only."""

    ZONES = {
        "us-east-1": [("us-east-1-bos-1a", "use1-bos1-az1", "local-zone"),
                      ("us-east-1-wl1-atl-wlz-1", "use1-wl1-atl-wlz1", "wavelength-zone"),
                      ("us-east-1a", "use1-az6", "availability-zone"), ("us-east-1b", "use1-az3", "availability-zone"),
                      ("us-east-1c", "use1-az1", "availability-zone"), ("us-east-1d", "use1-az2", "availability-zone"),
                      ("us-east-1e", "use1-az4", "availability-zone")],
        "us-west-1": [("us-west-1a", "usw1-az3", "availability-zone"), ("us-west-1b", "usw1-az2", "availability-zone"),
                      ("us-west-1c", "usw1-az1", "availability-zone")],
    }

    @classmethod
    def make(cls, region: str):
        from hardened_eks.mocks import HardenedEksMocks

        class Mocks(HardenedEksMocks):
            def call(self, args):
                if args.token != "aws:index/getAvailabilityZones:getAvailabilityZones":
                    return super().call(args)
                self.invokes.append((args.token, dict(args.args)))
                zones = cls.ZONES[region]
                for wanted in args.args.get("filters") or []:
                    assert wanted["name"] == "zone-type", wanted
                    zones = [z for z in zones if z[2] in wanted["values"]]
                return {"id": region, "names": [z[0] for z in zones], "zoneIds": [z[1] for z in zones]}

        return Mocks(region=region)


def test_subnets_only_in_availability_zones_where_eks_runs_control_planes(run_program):
    mocks = run_program({"aws:region": "us-east-1"}, mocks=ZonedMocks.make("us-east-1"))
    zones = sorted(r.inputs["availabilityZone"] for r in subnets(mocks, "private"))
    # Not the Local or Wavelength Zone (they sort first by name), not us-east-1b (use1-az3, refused by EKS).
    assert zones == ["us-east-1a", "us-east-1c", "us-east-1d"]


def test_too_few_eks_zones_stop_before_any_resource(run_program):
    import pulumi
    import pytest

    mocks = ZonedMocks.make("us-west-1")
    with pytest.raises(pulumi.RunError) as caught:
        run_program({"aws:region": "us-west-1", "availabilityZoneCount": "3"}, mocks=mocks)
    assert ("hardened-eks:availabilityZoneCount: 3 is not valid; region us-west-1 has 2 availability zone(s) where "
            "EKS places a control plane (us-west-1a, us-west-1c; EKS refuses us-west-1b (usw1-az2)); allowed: 2 to 2"
            ) in str(caught.value)
    assert [r for r in mocks.resources if r.type != "pulumi:pulumi:Stack"] == []
    two = run_program({"aws:region": "us-west-1", "availabilityZoneCount": "2"}, mocks=ZonedMocks.make("us-west-1"))
    assert sorted(r.inputs["availabilityZone"] for r in subnets(two, "private")) == ["us-west-1a", "us-west-1c"]

"""Pulumi mocks that record every resource and answer the invokes this program makes.

Used by the tests and by `make plan`: the program runs for real against these mocks, so what
they record is exactly what `pulumi up` would ask AWS for (minus provider-computed values).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config
from pulumi.runtime import resource as runtime_resource
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.proto import resource_pb2, source_pb2

ACCOUNT_ID = "123456789012"


def fake_id(prefix: str, seed: str, length: int = 17) -> str:
    """A stable, realistic-looking AWS id derived from `seed`."""
    return f"{prefix}-{hashlib.sha256(seed.encode()).hexdigest()[:length]}"


@dataclass
class Recorded:
    type: str
    name: str
    inputs: dict[str, Any]
    custom: bool
    parent: str | None = None  # name of the parent component, None for the stack
    depends_on: tuple[str, ...] = ()  # names of the resources in its depends_on option


@dataclass
class HardenedEksMocks(pulumi.runtime.Mocks):
    region: str = "us-west-2"
    availability_zones: tuple[str, ...] = ()
    # SSM parameter names and AMI name filters the mocked account cannot see (simulates a missing
    # Marketplace subscription or a withdrawn parameter).
    hidden: set[str] = field(default_factory=set)
    # IAM roles the mocked account has (name -> tags); a fresh account has none, not even service-linked ones.
    roles: dict[str, dict[str, str]] = field(default_factory=dict)
    resources: list[Recorded] = field(default_factory=list)
    invokes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # Extra outputs per resource type token, for components whose outputs the program reads.
    outputs: dict[str, Callable[[pulumi.runtime.MockResourceArgs], dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.availability_zones:
            self.availability_zones = tuple(f"{self.region}{s}" for s in "abcd")
        self._parents: dict[tuple[str, str], tuple[str | None, tuple[str, ...]]] = {}

    # -- Pulumi mock interface -------------------------------------------------------------
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict]:
        parent, depends_on = self._parents.get((args.typ, args.name), (None, ()))
        self.resources.append(Recorded(args.typ, args.name, dict(args.inputs), bool(args.custom), parent, depends_on))
        resource_id = fake_id("id", f"{args.typ}/{args.name}") if args.custom else None
        state = dict(args.inputs)
        state.setdefault("arn", f"arn:aws:mock:{self.region}:{ACCOUNT_ID}:{args.typ.split(':')[-1].lower()}/{args.name}")
        extra = self.outputs.get(args.typ) or _DEFAULT_OUTPUTS.get(args.typ)
        if extra:
            state.update(extra(args))
        return resource_id, state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        token, inputs = args.token, dict(args.args)
        self.invokes.append((token, inputs))
        handler = _INVOKES.get(token)
        if handler is None:
            raise NotImplementedError(f"the mocks do not answer invoke {token}; add it to hardened_eks/mocks.py")
        return handler(self, inputs)

    # -- Recording parents -----------------------------------------------------------------
    def transformation(self, args: pulumi.ResourceTransformationArgs) -> None:
        parent = args.opts.parent if args.opts else None
        parent_name = getattr(parent, "_name", None) if parent is not None and not isinstance(
            parent, pulumi.runtime.stack.Stack) else None
        depends_on = args.opts.depends_on if args.opts else None
        names = tuple(getattr(r, "_name", "?") for r in (depends_on if isinstance(depends_on, list) else []))
        self._parents[(args.type_, args.name)] = (parent_name, names)
        return None

    # -- Queries for tests -----------------------------------------------------------------
    def of_type(self, type_token: str) -> list[Recorded]:
        return [r for r in self.resources if r.type == type_token]

    def named(self, name: str) -> Recorded:
        matches = [r for r in self.resources if r.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r}")
        return matches[0]

    def children_of(self, component_name: str) -> list[Recorded]:
        return [r for r in self.resources if r.parent == component_name]


def _availability_zones(m: HardenedEksMocks, _: dict) -> dict:
    return {"id": m.region, "names": list(m.availability_zones),
            "zoneIds": [f"usw2-az{i + 1}" for i in range(len(m.availability_zones))]}


def _ssm_parameter(m: HardenedEksMocks, inputs: dict) -> dict:
    name = inputs["name"]
    if name in m.hidden:
        raise Exception(f"ParameterNotFound: {name}")
    return {"id": name, "name": name, "type": "String", "value": fake_id("ami", name), "version": 1,
            "insecureValue": fake_id("ami", name), "arn": f"arn:aws:ssm:{m.region}::parameter{name}"}


def _ami(m: HardenedEksMocks, inputs: dict) -> dict:
    names = [v for f in inputs.get("filters", []) if f.get("name") == "name" for v in f.get("values", [])]
    if any(n in m.hidden for n in names):
        raise Exception("Your query returned no results. Please change your search criteria and try again.")
    seed = json.dumps(inputs, sort_keys=True)
    return {"id": fake_id("ami", seed), "imageId": fake_id("ami", seed), "name": (names or ["mock"])[0].rstrip("*"),
            "architecture": next((v for f in inputs.get("filters", []) if f.get("name") == "architecture"
                                  for v in f.get("values", [])), "x86_64"),
            "ownerId": "679593333241", "creationDate": "2026-10-01T00:00:00.000Z"}


def _caller_identity(_: HardenedEksMocks, __: dict) -> dict:
    return {"accountId": ACCOUNT_ID, "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/ci", "id": ACCOUNT_ID,
            "userId": "AIDAMOCK"}


def _region(m: HardenedEksMocks, _: dict) -> dict:
    return {"id": m.region, "name": m.region, "region": m.region, "endpoint": f"ec2.{m.region}.amazonaws.com",
            "description": m.region}


def _partition(_: HardenedEksMocks, __: dict) -> dict:
    return {"id": "aws", "partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws"}


def _vpc(m: HardenedEksMocks, inputs: dict) -> dict:
    return {"id": inputs.get("id"), "cidrBlock": "10.20.0.0/16", "arn": f"arn:aws:ec2:{m.region}:{ACCOUNT_ID}:vpc/x"}


def _addon_version(_: HardenedEksMocks, inputs: dict) -> dict:
    return {"id": inputs.get("addonName"), "addonName": inputs.get("addonName"),
            "kubernetesVersion": inputs.get("kubernetesVersion"), "version": "v1.0.0-eksbuild.1"}


def _eks_cluster(m: HardenedEksMocks, inputs: dict) -> dict:
    """DescribeCluster of a cluster the program created: the facts nodes need to join it."""
    name = inputs["name"]
    return {"id": name, "name": name, "arn": f"arn:aws:eks:{m.region}:{ACCOUNT_ID}:cluster/{name}",
            "endpoint": f"https://{fake_id('eks', name, 32)}.gr7.{m.region}.eks.amazonaws.com",
            "certificateAuthorities": [{"data": "bW9jayBjbHVzdGVyIENB"}],
            "kubernetesNetworkConfigs": [{"ipFamily": "ipv4", "serviceIpv4Cidr": "172.20.0.0/16",
                                          "serviceIpv6Cidr": "fd9a:2b3c:4d5e::/108", "elasticLoadBalancings": []}],
            "vpcConfig": {"clusterSecurityGroupId": fake_id("sg", f"{name}-cluster"), "endpointPrivateAccess": True,
                          "endpointPublicAccess": True, "publicAccessCidrs": [], "securityGroupIds": [],
                          "subnetIds": [], "vpcId": "vpc-mock", "controlPlaneEgressMode": "AWS_MANAGED"}}


def _session_context(_: HardenedEksMocks, inputs: dict) -> dict:
    """IAM's answer: a role session's issuer is its role (path left out here); anything else is itself."""
    arn = inputs["arn"]
    parts = arn.split(":")
    if parts[2] == "sts" and parts[5].startswith("assumed-role/"):
        _, role, session = parts[5].split("/", 2)
        issuer = f"arn:{parts[1]}:iam::{parts[4]}:role/{role}"
        return {"id": arn, "arn": arn, "issuerArn": issuer, "issuerId": "AROAMOCK", "issuerName": role,
                "sessionName": session}
    return {"id": arn, "arn": arn, "issuerArn": arn, "issuerId": "", "issuerName": "", "sessionName": ""}


def _access_entry(_: HardenedEksMocks, inputs: dict) -> tuple[dict, list[tuple[str, str]]]:
    """No entry: the provider's invoke fails (returned as a failure, which the program sees as an exception)."""
    return {}, [("principalArn", f"reading EKS Access Entry ({inputs.get('clusterName')},"
                                 f"{inputs.get('principalArn')}): couldn't find resource")]


# The amazon-eks bucket as the mocks see it: patches of every minor, and a newest build date that has only
# Windows binaries (the resolver must pass over it).
def _s3_objects(_: HardenedEksMocks, inputs: dict) -> dict:
    prefix, bucket = inputs.get("prefix", ""), inputs.get("bucket")
    answer = {"id": f"{bucket}/{prefix}", "bucket": bucket, "commonPrefixes": [], "keys": [], "owners": []}
    parts = prefix.rstrip("/").split("/")
    if prefix.endswith(".") and "/" not in prefix:
        answer["commonPrefixes"] = [f"{prefix}{patch}/" for patch in (0, 2, 10)]
    elif len(parts) == 1:
        answer["commonPrefixes"] = [f"{parts[0]}/{date}/" for date in ("2026-09-01", "2026-10-15", "2026-11-20")]
    elif "/bin/linux/" in prefix and not parts[1].startswith("2026-11"):
        answer["keys"] = [f"{prefix}amd64/kubelet"]
    return answer


def _role(m: HardenedEksMocks, inputs: dict) -> dict | tuple[dict, list[tuple[str, str]]]:
    name = inputs["name"]
    if name not in m.roles:  # returned as a failure, which the program sees as an exception
        return {}, [("name", f"reading IAM Role ({name}): couldn't find resource (NoSuchEntity)")]
    return {"id": name, "name": name, "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{name}", "tags": m.roles[name],
            "assumeRolePolicy": "{}", "path": "/", "uniqueId": "AROAMOCK", "createDate": "2026-01-01T00:00:00Z",
            "description": "", "maxSessionDuration": 3600, "permissionsBoundary": "", "roleLastUseds": []}


_INVOKES: dict[str, Callable[[HardenedEksMocks, dict], Any]] = {
    "aws:iam/getRole:getRole": _role,
    "aws:s3/getObjects:getObjects": _s3_objects,
    "aws:iam/getSessionContext:getSessionContext": _session_context,
    "aws:eks/getAccessEntry:getAccessEntry": _access_entry,
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:ssm/getParameter:getParameter": _ssm_parameter,
    "aws:ec2/getAmi:getAmi": _ami,
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getPartition:getPartition": _partition,
    "aws:eks/getAddonVersion:getAddonVersion": _addon_version,
    "aws:ec2/getVpc:getVpc": _vpc,
    "aws:eks/getCluster:getCluster": _eks_cluster,
}


def _eks_cluster_outputs(args: pulumi.runtime.MockResourceArgs) -> dict:
    kubeconfig = {"apiVersion": "v1", "kind": "Config", "clusters": [{"name": args.name, "cluster": {
        "server": f"https://{fake_id('eks', args.name, 32)}.gr7.us-west-2.eks.amazonaws.com",
        "certificate-authority-data": "bW9jaw=="}}]}
    return {"kubeconfigJson": json.dumps(kubeconfig), "kubeconfig": kubeconfig,
            "clusterSecurityGroupId": fake_id("sg", args.name),
            "nodeSecurityGroupId": fake_id("sg", f"{args.name}-nodes"),
            "oidcProviderArn": f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/MOCK",
            "oidcIssuer": "oidc.eks.us-west-2.amazonaws.com/id/MOCK",
            "clusterIngressRuleId": "", "defaultNodeGroupAsgName": "", "fargateProfileId": "",
            "fargateProfileStatus": "", "clusterOidcProvider": None}


def _eks_node_group_outputs(args: pulumi.runtime.MockResourceArgs) -> dict:
    # Resource references among the inputs (cluster, nodeRole) are not echoed back: reading them
    # as outputs would look the resources up again, which the mock engine cannot do.
    return {"nodeGroup": None, "cluster": None, "nodeRole": None}


def _ec2_instance_like(args: pulumi.runtime.MockResourceArgs) -> dict:
    return {"latestVersion": 1, "defaultVersion": 1}


def _vpc_outputs(args: pulumi.runtime.MockResourceArgs) -> dict:
    outputs: dict[str, Any] = {"defaultSecurityGroupId": fake_id("sg", f"{args.name}-default")}
    if args.inputs.get("assignGeneratedIpv6CidrBlock"):
        outputs["ipv6CidrBlock"] = "2600:1f14:abc:de00::/56"
    return outputs


def _command_outputs(args: pulumi.runtime.MockResourceArgs) -> dict:
    """An AMI build Command prints its AMIs as JSON; answer with stable fake ids per region."""
    from hardened_eks.ami_build.spec import SPEC_ENV, BuildOutput, BuildSpec

    environment = args.inputs.get("environment")
    spec_json = environment.get(SPEC_ENV) if isinstance(environment, dict) else None
    if not isinstance(spec_json, str):
        return {"stdout": "", "stderr": ""}
    spec = BuildSpec.from_json(spec_json)
    amis = {region: fake_id("ami", f"{spec.build_hash}/{region}") for region in spec.regions}
    output = BuildOutput(amis[spec.region], amis, spec.build_hash, spec.source_ami_id, spec.ami_name)
    return {"stdout": output.to_json(), "stderr": ""}


_DEFAULT_OUTPUTS: dict[str, Callable[[pulumi.runtime.MockResourceArgs], dict[str, Any]]] = {
    "command:local:Command": _command_outputs,
    "eks:index:Cluster": _eks_cluster_outputs,
    "eks:index:ManagedNodeGroup": _eks_node_group_outputs,
    "aws:ec2/launchTemplate:LaunchTemplate": _ec2_instance_like,
    "aws:ec2/vpc:Vpc": _vpc_outputs,
}


class _MonitorWithoutResourceReferences(MockMonitor):
    """A resource passed as an input (say a cluster to a node group) arrives as its URN or id.

    The stock mock monitor rebuilds such references into resource objects on its own thread's event
    loop, which fails ("attached to a different loop"); the real engine never needs that.
    """

    def GetDeploymentInfo(self, request):
        info = super().GetDeploymentInfo(request)
        return resource_pb2.DeploymentInfo(supportedFeatures=[
            feature for feature in info.supportedFeatures
            if feature != resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES])


def pulumi_config_values(config: dict[str, Any]) -> dict[str, str]:
    """Turn YAML-parsed stack config into Pulumi's stored form: objects as JSON, scalars as text.

    YAML already turned an unquoted 1.30 into the float 1.3, exactly as the Pulumi CLI does, so the
    program sees what it would see under `pulumi up`.
    """
    values = {}
    for key, value in config.items():
        if isinstance(value, dict | list):
            values[key] = json.dumps(value)
        elif isinstance(value, bool):
            values[key] = "true" if value else "false"
        else:
            values[key] = str(value)
    return values


def run_with_mocks(program: Callable[[], Any], raw_config: dict[str, str], stack: str = "test",
                   mocks: HardenedEksMocks | None = None, preview: bool = False,
                   extra_transformations: Iterable[Callable] = ()) -> HardenedEksMocks:
    """Run `program` as a Pulumi program against mocks and return them with everything recorded.

    Stack outputs (pulumi.export) are kept in `mocks.exports`.
    """
    mocks = mocks or HardenedEksMocks(region=raw_config.get("aws:region") or "us-west-2")
    runtime_config.set_all_config(dict(raw_config))
    # Source positions are for the engine's display; mocks never show them, and walking the Python stack for
    # every resource is a third of an offline plan's time.
    if hasattr(runtime_resource, "_get_stack_trace"):
        runtime_resource._get_stack_trace = source_pb2.StackTrace
    pulumi.runtime.set_mocks(mocks, project="hardened-eks", stack=stack, preview=preview,
                             monitor=_MonitorWithoutResourceReferences(mocks))
    pulumi.runtime.register_stack_transformation(mocks.transformation)
    for transformation in extra_transformations:
        pulumi.runtime.register_stack_transformation(transformation)
    exports: dict[str, Any] = {}

    @pulumi.runtime.test
    def run():
        program()
        stack_resource = pulumi.runtime.get_root_resource()
        outputs = getattr(stack_resource, "outputs", {}) or {}
        keys = list(outputs)
        return pulumi.Output.all(*[outputs[k] for k in keys]).apply(
            lambda values: exports.update(dict(zip(keys, values, strict=True))))

    run()
    mocks.exports = exports  # type: ignore[attr-defined]
    return mocks

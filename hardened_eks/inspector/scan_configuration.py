"""An Inspector CIS scan configuration as a Pulumi dynamic resource (pulumi-aws has none).

The provider is pickled into the stack state and runs in the engine's process: it holds no client
and no credentials, builds a boto3 client per call from the default credential chain, and always
uses the region stored in the resource's own inputs (the stack's region).

The configuration runs one scan as soon as it is created (one-time schedule). Replacing it whenever
the node groups' AMI ids change is what makes every rebuild scanned. Inspector assesses only
SSM-managed instances, so create first waits (bounded) until every running node carrying the scan
tag is managed by Systems Manager (`hardened_eks.inspector.ssm`); a node that still ends
`SSM_UNMANAGED` is re-scanned by the collector.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult

from hardened_eks.inspector.errors import RETRY_CONFIG, InspectorError, call, paginate
from hardened_eks.inspector.ssm import SsmWait, tagged_instances, wait_until_managed

# Inputs, as stored in state. Changing region or the AMI ids needs a new configuration (so a new
# scan); the others are updated in place.
INPUT_KEYS = ("region", "scanName", "securityLevel", "targets", "amiIds", "tags")
REPLACE_KEYS = ("region", "amiIds")
SECURITY_LEVELS = ("LEVEL_1", "LEVEL_2")


def inspector_client(region: str) -> Any:
    import boto3  # here, not at module level: the offline plan imports this module and never calls AWS

    return boto3.client("inspector2", region_name=region, config=RETRY_CONFIG)


def node_clients(region: str) -> tuple[Any, Any]:
    import boto3

    session = boto3.Session(region_name=region)
    return session.client("ec2", config=RETRY_CONFIG), session.client("ssm", config=RETRY_CONFIG)


def await_managed_targets(ec2: Any, ssm: Any, props: dict[str, Any], wait: SsmWait | None = None,
                          log: Any = None) -> list[str]:
    """Wait until the scan's targets exist and are all SSM-managed; return any still unmanaged (the scan
    then starts anyway, and the collector re-scans targets that end SSM_UNMANAGED)."""
    log = log or (lambda line: pulumi.log.info(line))
    tag_map = (props.get("targets") or {}).get("targetResourceTags") or {}
    still = wait_until_managed(lambda: tagged_instances(ec2, tag_map), ssm, wait or SsmWait(), log)
    if still:
        log(f"inspector: starting the CIS scan {props.get('scanName')} although {', '.join(still)} is not managed "
            "by Systems Manager yet; the collector re-scans targets that end SSM_UNMANAGED")
    return still


def check_inputs(props: dict[str, Any]) -> list[str]:
    """Problems with the inputs, each naming the key, the value and what is allowed."""
    problems = []
    if props.get("securityLevel") not in SECURITY_LEVELS:
        problems.append(f"securityLevel: {props.get('securityLevel')!r} is not valid; allowed: {', '.join(SECURITY_LEVELS)}")
    name = props.get("scanName")
    if not isinstance(name, str) or not 1 <= len(name) <= 128:
        problems.append(f"scanName: {name!r} is not valid; allowed: 1 to 128 characters")
    targets = props.get("targets") or {}
    if not targets.get("accountIds"):
        problems.append(f"targets.accountIds: {targets.get('accountIds')!r} is not valid; allowed: at least one account id")
    tag_map = targets.get("targetResourceTags") or {}
    if not 1 <= len(tag_map) <= 5 or not all(1 <= len(values or []) <= 5 for values in tag_map.values()):
        problems.append(f"targets.targetResourceTags: {tag_map!r} is not valid; allowed: 1 to 5 tag keys with "
                        "1 to 5 values each")
    return problems


def create_scan_configuration(client: Any, props: dict[str, Any]) -> str:
    """Create the configuration (its one-time scan starts now); return its ARN."""
    response = call(client, "create_cis_scan_configuration", scanName=props["scanName"],
                    securityLevel=props["securityLevel"], schedule={"oneTime": {}}, targets=props["targets"],
                    tags=dict(props.get("tags") or {}))
    return response["scanConfigurationArn"]


def update_scan_configuration(client: Any, arn: str, props: dict[str, Any]) -> str:
    response = call(client, "update_cis_scan_configuration", scanConfigurationArn=arn, scanName=props["scanName"],
                    securityLevel=props["securityLevel"], schedule={"oneTime": {}}, targets=props["targets"])
    return response["scanConfigurationArn"]


def delete_scan_configuration(client: Any, arn: str) -> None:
    """Delete the configuration; one already gone is not an error (destroy must converge)."""
    try:
        call(client, "delete_cis_scan_configuration", scanConfigurationArn=arn)
    except InspectorError as error:
        cause = error.__cause__
        code = getattr(cause, "response", {}).get("Error", {}).get("Code")
        if code != "ResourceNotFoundException":
            raise


def find_scan_configuration(client: Any, arn: str) -> dict | None:
    """The configuration as Inspector reports it, or None when it no longer exists."""
    matches = paginate(client, "list_cis_scan_configurations", "scanConfigurations",
                       filterCriteria={"scanConfigurationArnFilters": [{"comparison": "EQUALS", "value": arn}]})
    return next((c for c in matches if c.get("scanConfigurationArn") == arn), None)


def _outputs(arn: str, props: dict[str, Any]) -> dict[str, Any]:
    return {**{k: props[k] for k in INPUT_KEYS if k in props}, "scanConfigurationArn": arn}


class CisScanConfigurationProvider(ResourceProvider):
    """CRUD for one CIS scan configuration. Module-level functions do the work so tests call them directly."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.CheckResult:
        failures = [pulumi.dynamic.CheckFailure(p.split(":", 1)[0], p) for p in check_inputs(news)]
        return pulumi.dynamic.CheckResult(news, failures)

    def create(self, props: dict[str, Any]) -> CreateResult:
        await_managed_targets(*node_clients(props["region"]), props)
        arn = create_scan_configuration(inspector_client(props["region"]), props)
        return CreateResult(arn, _outputs(arn, props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [key for key in INPUT_KEYS if olds.get(key) != news.get(key)]
        return DiffResult(changes=bool(changed), replaces=[k for k in changed if k in REPLACE_KEYS],
                          delete_before_replace=False)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        arn = update_scan_configuration(inspector_client(news["region"]), id_, news)
        return UpdateResult(_outputs(arn, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        delete_scan_configuration(inspector_client(props["region"]), id_)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = find_scan_configuration(inspector_client(props["region"]), id_)
        if found is None:
            return ReadResult("", {})  # gone: the engine drops it from state on refresh
        current = {**props, "scanName": found.get("scanName", props.get("scanName")),
                   "securityLevel": found.get("securityLevel", props.get("securityLevel"))}
        return ReadResult(id_, _outputs(id_, current))


@dataclass
class CisScanConfigurationArgs:
    region: pulumi.Input[str]
    scan_name: pulumi.Input[str]
    security_level: pulumi.Input[str]
    targets: pulumi.Input[dict]
    # The AMI ids of the node groups the scan covers, sorted: a change replaces the configuration.
    ami_ids: pulumi.Input[list[str]]
    tags: pulumi.Input[dict[str, str]] | None = None


class CisScanConfiguration(pulumi.dynamic.Resource, module="inspector", name="CisScanConfiguration"):
    """Its id is the configuration's ARN."""

    def __init__(self, name: str, args: CisScanConfigurationArgs, opts: pulumi.ResourceOptions | None = None):
        replace = pulumi.ResourceOptions(replace_on_changes=["amiIds", "region"])
        super().__init__(
            CisScanConfigurationProvider(), name,
            {"region": args.region, "scanName": args.scan_name, "securityLevel": args.security_level,
             "targets": args.targets, "amiIds": args.ami_ids, "tags": args.tags or {}},
            pulumi.ResourceOptions.merge(opts, replace))

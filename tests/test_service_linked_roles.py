"""Fresh accounts: a policy that names a service-linked role as a principal fails (KMS CreateKey:
MalformedPolicyDocumentException, "invalid principals") until that role exists, and AWS creates most of them only
on first use. So every such principal the program writes into any resource must have its
aws.iam.ServiceLinkedRole in the stack, created before the resource that names it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from hardened_eks.mocks import HardenedEksMocks, Recorded, pulumi_config_values, run_with_mocks
from tests.conftest import ROOT

SERVICE_ROLE = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/aws-service-role/([a-z0-9.-]+)/")
SLR = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
# The KMS key names the Auto Scaling role and creates it first (components/encryption_key.py): no exception left;
# a principal added anywhere else must come with its ServiceLinkedRole.
KNOWN_ELSEWHERE: set[tuple[str, str]] = set()


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            return [value, *strings(json.loads(value))] if value[:1] in "[{" else [value]
        except json.JSONDecodeError:
            return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    return []


def ancestors_depend_on(mocks: HardenedEksMocks, resource: Recorded, names: set[str]) -> bool:
    node: Recorded | None = resource
    while node is not None:
        if names & set(node.depends_on):
            return True
        node = next((r for r in mocks.resources if r.name == node.parent), None) if node.parent else None
    return False


@pytest.mark.parametrize("stack", ["dev", "legacy"])
def test_service_linked_roles_named_by_a_policy_exist_before_it(stack):
    from hardened_eks import program

    document = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
    mocks = run_with_mocks(program.main, pulumi_config_values(document["config"]), stack=stack,
                           mocks=HardenedEksMocks())
    named = {(r.type, r.name, service) for r in mocks.resources for text in strings(r.inputs)
             for service in SERVICE_ROLE.findall(text)}
    # Only the KMS key names one today; a new one anywhere else must come with its ServiceLinkedRole.
    assert {service for _, _, service in named} <= {"autoscaling.amazonaws.com"}, named
    roles = {r.inputs.get("awsServiceName"): r.name for r in mocks.of_type(SLR)}
    missing = []
    for type_token, name, service in sorted(named):
        resource = mocks.named(name)
        if service not in roles or not ancestors_depend_on(mocks, resource, {roles[service]}):
            missing.append((type_token, service))
    assert set(missing) <= KNOWN_ELSEWHERE, missing

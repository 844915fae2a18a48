"""The deployer's IAM policy (iam/deployer-policy.json) allows what the program asks AWS for.

The program runs under mocks for both sample stacks (and a variant with the optional parts switched on); every
resource type and invoke it records must be described in iam/needs.yaml, and every action there must be allowed
by the policy as an IAM evaluator (moto's) reads it. A new resource type without an entry fails here.
"""

from __future__ import annotations

import fnmatch
import json
from functools import cache

import pytest
import yaml
from moto.iam.access_control import IAMPolicy, PermissionResult

from hardened_eks.mocks import HardenedEksMocks, pulumi_config_values, run_with_mocks
from tests.conftest import ROOT

POLICY = ROOT / "iam" / "deployer-policy.json"
NEEDS = yaml.safe_load((ROOT / "iam" / "needs.yaml").read_text())
# AWS's limit for a customer managed policy: 6,144 characters, white space not counted.
MANAGED_POLICY_LIMIT = 6144
OPTIONAL_PARTS = {"enableInspector": "true", "privateAccessCidrs": ["10.20.8.0/24"],
                  "existingVpc": {"vpcId": "vpc-0123456789abcdef0",
                                  "privateSubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]}}


def stack_config(stack: str, extra: dict | None = None) -> dict[str, str]:
    document = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
    config = dict(document["config"])
    config.update({f"hardened-eks:{k}": v for k, v in (extra or {}).items()})
    return pulumi_config_values(config)


@cache
def recorded(stack: str, optional: bool = False) -> tuple[frozenset[str], frozenset[str]]:
    from hardened_eks import program

    mocks = run_with_mocks(program.main, stack_config(stack, OPTIONAL_PARTS if optional else None), stack=stack,
                           mocks=HardenedEksMocks())
    return frozenset(r.type for r in mocks.resources), frozenset(token for token, _ in mocks.invokes)


RUNS = [("dev", False), ("legacy", False), ("dev", True)]


def needed_actions(types: frozenset[str], invokes: frozenset[str]) -> set[str]:
    actions: set[str] = set()
    for type_token in types:
        for child in NEEDS["components"].get(type_token, [type_token]):
            actions.update(NEEDS["types"].get(child, []))
    for token in invokes:
        actions.update(NEEDS["invokes"].get(token, []))
    return actions


# The condition key that names the service for the actions written "action>service" in iam/needs.yaml.
SERVICE_KEYS = {"iam:PassRole": "iam:PassedToService", "iam:CreateServiceLinkedRole": "iam:AWSServiceName"}


def permitted(policy: IAMPolicy, needed: str) -> bool:
    action, _, service = needed.partition(">")
    context = {SERVICE_KEYS[action]: service} if service else None
    return policy.is_action_permitted(action, "*", incoming_condition_values=context) == PermissionResult.PERMITTED


@pytest.mark.parametrize(("stack", "optional"), RUNS, ids=["dev", "legacy", "dev-inspector-existing-vpc"])
def test_every_registered_type_and_invoke_is_described(stack, optional):
    types, invokes = recorded(stack, optional)
    known = set(NEEDS["types"]) | set(NEEDS["components"])
    undescribed = sorted(t for t in types if t not in known
                         and not any(fnmatch.fnmatchcase(t, pattern) for pattern in NEEDS["no_aws_call"]))
    assert undescribed == [], f"add what these call to iam/needs.yaml and iam/deployer-policy.json: {undescribed}"
    assert sorted(invokes - set(NEEDS["invokes"])) == []
    for children in NEEDS["components"].values():
        assert set(children) <= set(NEEDS["types"])


@pytest.mark.parametrize(("stack", "optional"), RUNS, ids=["dev", "legacy", "dev-inspector-existing-vpc"])
def test_the_deployer_policy_allows_everything_the_stack_asks_for(stack, optional):
    policy = IAMPolicy(POLICY.read_text())
    needed = needed_actions(*recorded(stack, optional))
    for actions in NEEDS["pipeline"].values():
        needed.update(actions)
    assert len(needed) > 100
    assert sorted(a for a in needed if not permitted(policy, a)) == []


def test_pass_role_and_service_linked_roles_only_for_the_services_used():
    policy = IAMPolicy(POLICY.read_text())
    assert permitted(policy, "iam:PassRole>eks.amazonaws.com")
    assert not permitted(policy, "iam:PassRole>lambda.amazonaws.com")
    assert permitted(policy, "iam:CreateServiceLinkedRole>eks-nodegroup.amazonaws.com")
    assert not permitted(policy, "iam:CreateServiceLinkedRole>elasticloadbalancing.amazonaws.com")


def test_the_policy_is_a_valid_managed_policy_with_nothing_unused():
    from moto.iam.policy_validation import IAMPolicyDocumentValidator

    text = POLICY.read_text()
    IAMPolicyDocumentValidator(text).validate()
    assert len("".join(text.split())) <= MANAGED_POLICY_LIMIT
    all_needed = {a.partition(">")[0] for group in ("types", "invokes", "pipeline") for actions in NEEDS[group].values()
                  for a in actions}
    for statement in json.loads(text)["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        unused = [a for a in actions if not any(fnmatch.fnmatchcase(n, a) for n in all_needed)]
        assert unused == [], (statement["Sid"], unused)


"""The stack's KMS key in a fresh account, in an account that already uses Auto Scaling, and beside other stacks."""

from __future__ import annotations

import json

from components.encryption_key import AUTOSCALING_ROLE, alias_name
from hardened_eks.mocks import HardenedEksMocks

SLR = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
KEY = "aws:kms/key:Key"
ONE_PATTERN = {"patterns": [{"pattern": "eks-optimized-al2023", "levels": [1]}]}


def autoscaling_principal(mocks) -> set[str]:
    [key] = mocks.of_type(KEY)
    return {s["Principal"]["AWS"] for s in json.loads(key.inputs["policy"])["Statement"]
            if AUTOSCALING_ROLE in str(s["Principal"].get("AWS", ""))}


def test_a_fresh_account_gets_the_auto_scaling_role_before_the_key(run_program):
    mocks = run_program(ONE_PATTERN, mocks=HardenedEksMocks())  # a new account: no roles at all
    [role] = mocks.of_type(SLR)
    assert role.inputs["awsServiceName"] == "autoscaling.amazonaws.com"
    [key] = mocks.of_type(KEY)
    assert role.name in key.depends_on  # KMS refuses a policy naming a principal that does not exist yet
    assert autoscaling_principal(mocks)


def test_after_the_first_run_or_a_destroy_the_role_is_never_created_twice(run_program):
    """The role outlives the stack (retained); IAM refuses a second one, so once it exists it is only named."""
    later = run_program(ONE_PATTERN, mocks=HardenedEksMocks(roles={AUTOSCALING_ROLE: {"hardened-eks:stack": "test"}}))
    assert later.of_type(SLR) == [] and autoscaling_principal(later)


def test_an_account_that_has_the_role_already_gets_no_second_one(run_program):
    mocks = run_program(ONE_PATTERN, mocks=HardenedEksMocks(roles={AUTOSCALING_ROLE: {}}))
    assert mocks.of_type(SLR) == []
    assert autoscaling_principal(mocks)  # the key still lets Auto Scaling launch nodes from encrypted AMIs


def test_each_stack_has_its_own_alias(run_program):
    aliases = {stack: run_program(ONE_PATTERN, stack=stack).of_type("aws:kms/alias:Alias")[0].inputs["name"]
               for stack in ("dev", "prod")}
    assert aliases == {"dev": "alias/hardened-eks-dev", "prod": "alias/hardened-eks-prod"}
    assert alias_name("team.a") == "alias/hardened-eks-team-a"  # KMS allows no dot in an alias

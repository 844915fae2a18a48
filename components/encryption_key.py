"""The stack's customer-managed KMS key, used where config names no key of its own.

It encrypts EBS volumes of builders, AMI snapshots and nodes, Kubernetes secrets (envelope
encryption) and CloudWatch log groups. A customer-managed key needs two grants that an
AWS-managed key has implicitly, or things fail late and obscurely:
- the Auto Scaling service-linked role must use the key, or managed node groups cannot launch
  instances from an AMI whose snapshots it encrypts;
- CloudWatch Logs must use it for the log groups of this account and region.
Accounts the AMIs are shared with get use of the key so they can launch the shared AMIs.

KMS refuses a key policy whose principal does not exist, and the Auto Scaling service-linked role exists
only once something in the account used Auto Scaling. So the key waits for that role: when the account has
none, this run creates it (tagged with the stack, kept on destroy: other Auto Scaling groups of the account
may rely on it by then); when it exists, the key simply names it. A later run therefore no longer declares
the role, and Pulumi only forgets it (retained); declaring it again would make IAM refuse a second one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

AUTOSCALING_SERVICE = "autoscaling.amazonaws.com"
AUTOSCALING_ROLE = "AWSServiceRoleForAutoScaling"
STACK_TAG = "hardened-eks:stack"

USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]


def key_policy(partition: str, account_id: str, region: str, share_accounts: list[str]) -> dict:
    root = f"arn:{partition}:iam::{account_id}:root"
    autoscaling = (f"arn:{partition}:iam::{account_id}:role/aws-service-role/autoscaling.amazonaws.com/"
                   "AWSServiceRoleForAutoScaling")
    statements = [
        {"Sid": "AccountAdministersKeyThroughIam", "Effect": "Allow", "Principal": {"AWS": root},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "AutoScalingUsesKeyForNodeVolumes", "Effect": "Allow", "Principal": {"AWS": autoscaling},
         "Action": USE_ACTIONS, "Resource": "*"},
        {"Sid": "AutoScalingGrantsToEc2", "Effect": "Allow", "Principal": {"AWS": autoscaling},
         "Action": "kms:CreateGrant", "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
        {"Sid": "CloudWatchLogsEncryptsThisAccountsLogs", "Effect": "Allow",
         "Principal": {"Service": f"logs.{region}.amazonaws.com"}, "Action": USE_ACTIONS, "Resource": "*",
         "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                   f"arn:{partition}:logs:{region}:{account_id}:log-group:*"}}},
    ]
    if share_accounts:
        principals = [f"arn:{partition}:iam::{a}:root" for a in share_accounts]
        statements += [
            {"Sid": "SharedAccountsLaunchSharedAmis", "Effect": "Allow", "Principal": {"AWS": principals},
             "Action": USE_ACTIONS, "Resource": "*"},
            {"Sid": "SharedAccountsGrantToEc2", "Effect": "Allow", "Principal": {"AWS": principals},
             "Action": "kms:CreateGrant", "Resource": "*",
             "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
        ]
    return {"Version": "2012-10-17", "Statement": statements}


@dataclass
class EncryptionKeyArgs:
    stack: str
    share_accounts: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)


def alias_name(stack: str) -> str:
    """One alias per stack (an account can hold several stacks); KMS allows letters, digits, / _ - only."""
    return "alias/hardened-eks-" + re.sub(r"[^A-Za-z0-9/_-]", "-", stack)


def autoscaling_role_exists(opts: pulumi.InvokeOptions | None = None) -> bool:
    try:
        aws.iam.get_role(name=AUTOSCALING_ROLE, opts=opts)
    except Exception as error:  # the provider raises a bare Exception with IAM's answer
        if any(sign in str(error) for sign in ("NoSuchEntity", "couldn't find resource", "cannot be found")):
            return False
        raise pulumi.RunError(f"cannot tell whether {AUTOSCALING_ROLE} exists: {str(error).splitlines()[0]}") from None
    return True


class EncryptionKey(pulumi.ComponentResource):
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: EncryptionKeyArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("hardened-eks:encryption:EncryptionKey", name, None, opts)
        invoke = pulumi.InvokeOutputOptions(parent=self)
        identity = aws.get_caller_identity_output(opts=invoke)
        partition = aws.get_partition_output(opts=invoke).partition
        region = aws.get_region_output(opts=invoke).region
        policy = pulumi.Output.all(partition, identity.account_id, region).apply(
            lambda v: json.dumps(key_policy(v[0], v[1], v[2], sorted(args.share_accounts))))
        key_needs: list[pulumi.Resource] = []
        if not autoscaling_role_exists(pulumi.InvokeOptions(parent=self)):
            key_needs.append(aws.iam.ServiceLinkedRole(
                f"{name}-autoscaling-role", aws_service_name=AUTOSCALING_SERVICE,
                description="Auto Scaling service-linked role, created by hardened-eks for its KMS key policy",
                tags={**args.tags, STACK_TAG: args.stack},
                opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True)))
        key = aws.kms.Key(f"{name}-key", description=f"{name}: EBS, EKS secrets and logs of hardened-eks",
                          enable_key_rotation=True, deletion_window_in_days=30, policy=policy, tags=args.tags,
                          opts=pulumi.ResourceOptions(parent=self, depends_on=key_needs))
        aws.kms.Alias(f"{name}-alias", name=alias_name(args.stack), target_key_id=key.key_id,
                      opts=pulumi.ResourceOptions(parent=self))
        self.arn = key.arn
        self.register_outputs({"arn": self.arn})

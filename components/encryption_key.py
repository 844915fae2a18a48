"""The stack's customer-managed KMS key, used where config names no key of its own.

It encrypts EBS volumes of builders, AMI snapshots and nodes, Kubernetes secrets (envelope
encryption) and CloudWatch log groups. A customer-managed key needs two grants that an
AWS-managed key has implicitly, or things fail late and obscurely:
- the Auto Scaling service-linked role must use the key, or managed node groups cannot launch
  instances from an AMI whose snapshots it encrypts;
- CloudWatch Logs must use it for the log groups of this account and region.
Accounts the AMIs are shared with get use of the key so they can launch the shared AMIs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

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
    share_accounts: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)


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
        key = aws.kms.Key(f"{name}-key", description=f"{name}: EBS, EKS secrets and logs of hardened-eks",
                          enable_key_rotation=True, deletion_window_in_days=30, policy=policy, tags=args.tags,
                          opts=pulumi.ResourceOptions(parent=self))
        aws.kms.Alias(f"{name}-alias", name=f"alias/{name}", target_key_id=key.key_id,
                      opts=pulumi.ResourceOptions(parent=self))
        self.arn = key.arn
        self.register_outputs({"arn": self.arn})

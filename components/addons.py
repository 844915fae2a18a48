"""EKS managed add-ons created after the node groups, and the gp3 StorageClass the proof uses.

Ownership (agreed with the cluster component): the cluster configures vpc-cni (network policy
enforcement on) and kube-proxy through pulumi-eks, creates eks-pod-identity-agent before the node groups
(aws-node gets its credentials through it) and switches pulumi-eks's own coredns off; this component owns
coredns, aws-ebs-csi-driver and metrics-server. Each add-on has exactly one owner. These come after the
node groups because their pods need nodes to run on: created earlier, EKS reports them degraded and the
deployment waits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from hardened_eks.workload_tests import STORAGE_CLASS

STORAGE_CLASS_TYPE = "kubernetes:storage.k8s.io/v1:StorageClass"

# Add-ons this component creates, in creation order. metrics-server is the EKS community add-on:
# a typical production cluster runs it, and it scrapes every kubelet on 10250, which hardening breaks.
ADDONS = ("coredns", "aws-ebs-csi-driver", "metrics-server")
# Owned by the cluster component through pulumi-eks; creating them here too would fight over them.
CLUSTER_OWNED_ADDONS = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")
EBS_CSI_NAMESPACE = "kube-system"
EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa"
EBS_CSI_MANAGED_POLICY = "arn:{partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"


@dataclass
class AddonsArgs:
    cluster_name: pulumi.Input[str]
    kubernetes_version: str
    k8s_provider: k8s.Provider
    # Customer-managed key for EBS volumes the CSI driver creates; None: the account's default EBS key.
    kms_key_arn: pulumi.Input[str] | None = None
    # Node groups (or anything else) the add-ons must wait for.
    depends_on: Sequence[pulumi.Resource] = ()
    tags: dict[str, str] = field(default_factory=dict)


def pod_identity_trust_policy() -> str:
    """Trust for EKS Pod Identity: the pods.eks.amazonaws.com service assumes and tags the session."""
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"]}]})


def ebs_kms_policy(key_arn: str) -> str:
    """What the CSI driver needs to create and attach volumes encrypted with one customer key."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
         "Resource": key_arn, "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
        {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                                       "kms:DescribeKey"], "Resource": key_arn}]})


class Addons(pulumi.ComponentResource):
    versions: dict[str, pulumi.Output[str]]
    storage_class_name: pulumi.Output[str]
    ebs_csi_role_arn: pulumi.Output[str]
    addons: dict[str, aws.eks.Addon]

    def __init__(self, name: str, args: AddonsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("hardened-eks:addons:Addons", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        after_nodes = pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on))
        partition = aws.get_partition_output(opts=pulumi.InvokeOutputOptions(parent=self)).partition

        # The default version EKS pairs with the cluster's Kubernetes version: stable between runs,
        # unlike "most recent", so the same config gives the same resource inputs.
        self.versions = {
            addon: aws.eks.get_addon_version_output(addon_name=addon, kubernetes_version=args.kubernetes_version,
                                                    opts=pulumi.InvokeOutputOptions(parent=self)).version
            for addon in ADDONS}

        def addon(addon_name: str, options: pulumi.ResourceOptions, **extra) -> aws.eks.Addon:
            return aws.eks.Addon(
                f"{name}-{addon_name}", cluster_name=args.cluster_name, addon_name=addon_name,
                addon_version=self.versions[addon_name],
                # EKS may have installed a self-managed copy at cluster creation; take it over.
                resolve_conflicts_on_create="OVERWRITE", resolve_conflicts_on_update="OVERWRITE",
                tags=args.tags, opts=options, **extra)

        self.addons = {"coredns": addon("coredns", after_nodes)}

        ebs_role = aws.iam.Role(f"{name}-ebs-csi", assume_role_policy=pod_identity_trust_policy(),
                                description="EBS CSI controller, through EKS Pod Identity", tags=args.tags, opts=child)
        aws.iam.RolePolicyAttachment(f"{name}-ebs-csi-managed", role=ebs_role.name,
                                     policy_arn=partition.apply(lambda p: EBS_CSI_MANAGED_POLICY.format(partition=p)),
                                     opts=child)
        if args.kms_key_arn is not None:
            aws.iam.RolePolicy(f"{name}-ebs-csi-kms", role=ebs_role.id,
                               policy=pulumi.Output.from_input(args.kms_key_arn).apply(ebs_kms_policy), opts=child)
        association = aws.eks.PodIdentityAssociation(
            f"{name}-ebs-csi", cluster_name=args.cluster_name, namespace=EBS_CSI_NAMESPACE,
            service_account=EBS_CSI_SERVICE_ACCOUNT, role_arn=ebs_role.arn, tags=args.tags,
            opts=after_nodes)  # the node groups already waited for the Pod Identity agent
        # Created after its association, so the controller's first pods already get credentials.
        self.addons["aws-ebs-csi-driver"] = addon("aws-ebs-csi-driver", pulumi.ResourceOptions(
            parent=self, depends_on=[*args.depends_on, association]))
        self.addons["metrics-server"] = addon("metrics-server", after_nodes)

        parameters = {"type": "gp3", "encrypted": "true", "csi.storage.k8s.io/fstype": "ext4"}
        # Registered untyped under the same type token (the same resource to the engine): reading back the
        # typed class's outputs makes the Python SDK import every core/v1 type, a second of every offline plan.
        storage_class = pulumi.CustomResource(STORAGE_CLASS_TYPE, f"{name}-gp3", {
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": STORAGE_CLASS, "labels": {"app.kubernetes.io/part-of": "hardened-eks"}},
            "provisioner": "ebs.csi.aws.com",
            "parameters": pulumi.Output.from_input(args.kms_key_arn).apply(
                lambda key: {**parameters, "kmsKeyId": key} if key else parameters),
            # Bind where the pod lands, so the volume is created in the pod's node's zone.
            "volumeBindingMode": "WaitForFirstConsumer", "reclaimPolicy": "Delete", "allowVolumeExpansion": True,
        }, opts=pulumi.ResourceOptions(parent=self, provider=args.k8s_provider,
                                       depends_on=[self.addons["aws-ebs-csi-driver"]]))

        self.storage_class_name = storage_class.urn.apply(lambda _: STORAGE_CLASS)
        self.ebs_csi_role_arn = ebs_role.arn
        self.register_outputs({
            "versions": self.versions,
            "storage_class_name": self.storage_class_name,
            "ebs_csi_role_arn": self.ebs_csi_role_arn,
        })

"""The workload proof of one node group: sample workloads, test Jobs and kube-bench, pinned to it.

Objects come from `hardened_eks.workload_tests.manifests` as plain dicts; this component hands them
all to one ConfigGroup (pulumi-kubernetes yaml/v2), which orders them by their depends-on annotations
and waits for the add-ons and the Pod Identity association through its own depends_on. One group
instead of ~58 resources per node group: the Python SDK's cost is per registered resource.

Job names carry the node group's AMI id, so a rebuilt AMI replaces every Job and its results can
never be mistaken for the old AMI's; a label carries the launch template version, so nodes replaced
by a launch template change (same AMI) get their Jobs re-run too (the Job is replaced, same name).
Outside strict mode nothing here is awaited: a broken node
group shows up in its results instead of failing everyone's deployment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from components.addons import pod_identity_trust_policy
from hardened_eks.workload_tests import KUBELET_CONFIG, job_name, kube_bench_benchmark
from hardened_eks.workload_tests.manifests import ProofSpec, render
from hardened_eks.workload_tests.volumes import ProofVolumes, ProofVolumesArgs

JOB = "kubernetes:batch/v1:Job"


def replace_jobs_on_any_change(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    """A Job's pod template is immutable: any change replaces the Job, deleted first since its name stays."""
    if args.type_ != JOB:
        return None
    return pulumi.ResourceTransformResult(props=args.props, opts=pulumi.ResourceOptions.merge(
        args.opts, pulumi.ResourceOptions(replace_on_changes=["*"], delete_before_replace=True)))


@dataclass
class NodeGroupTarget:
    """One hardened node group, as the cluster component describes it."""

    pattern: str
    level: int
    ami_id: pulumi.Input[str]
    labels: Mapping[str, str] = field(default_factory=dict)  # node labels; default: hardened-eks/pattern and /level
    bootstrap: str | None = None  # patterns.Bootstrap value, to say which kubelet config kube-bench reads
    nodes: int = 1  # desired size: kube-bench runs once per node
    # The cluster's service CIDR: the `kubernetes` Service's ClusterIP (its first address) is what the
    # API-client pods' NetworkPolicy must allow, since the VPC CNI agent enforces before DNAT.
    service_cidr: pulumi.Input[str] | None = None
    # The node group's launch template version: with the AMI id, what the Jobs' identity follows, so
    # nodes replaced by a launch template change (user data, instance type) get fresh Jobs.
    launch_template_version: pulumi.Input[int] | pulumi.Input[str] | None = None


@dataclass
class WorkloadsArgs:
    target: NodeGroupTarget
    cluster_name: pulumi.Input[str]
    kubernetes_version: str
    region: str
    vpc_cidr: pulumi.Input[str]
    k8s_provider: k8s.Provider
    peer_namespace: str | None = None  # another node group's proof namespace (cross-node-group tests)
    strict: bool = False
    depends_on: Sequence[pulumi.Resource] = ()  # add-ons: CoreDNS, Pod Identity agent, EBS CSI driver
    tags: dict[str, str] = field(default_factory=dict)
    # The cluster's kubeconfig: destroy waits with it until the proof's PersistentVolumes are gone,
    # before the EBS CSI add-on and the nodes are deleted (None: no such wait).
    kubeconfig: pulumi.Input[str] | None = None


class Workloads(pulumi.ComponentResource):
    namespace: str
    host_namespace: str
    results: pulumi.Output[dict[str, Any]]  # where the collector finds this node group's results

    def __init__(self, name: str, args: WorkloadsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("hardened-eks:workloads:Workloads", name, None, opts)
        target = args.target
        spec = ProofSpec(pattern=target.pattern, level=target.level, kubernetes_version=args.kubernetes_version,
                         region=args.region, node_labels=dict(target.labels), peer_namespace=args.peer_namespace,
                         kube_bench_nodes=target.nodes, strict=args.strict)
        self.namespace, self.host_namespace = spec.namespace, spec.host_namespace

        # Pod Identity for the pod-identity test's service account (and deliberately none for its twin).
        # EKS stores the association by namespace and account name; neither has to exist yet.
        role = aws.iam.Role(f"{name}-pod-identity-test", assume_role_policy=pod_identity_trust_policy(),
                            description=f"Pod Identity test of {target.pattern} level {target.level}; no permissions",
                            tags=args.tags, opts=pulumi.ResourceOptions(parent=self))
        association = aws.eks.PodIdentityAssociation(
            f"{name}-pod-identity-test", cluster_name=args.cluster_name, namespace=spec.namespace,
            service_account="pod-identity", role_arn=role.arn, tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self))

        if target.service_cidr is None:
            raise ValueError(f"node group {target.pattern} level {target.level}: NodeGroupTarget.service_cidr is "
                             "needed (the API-client NetworkPolicy allows the `kubernetes` Service's ClusterIP)")
        lt_version = pulumi.Output.from_input(target.launch_template_version).apply(
            lambda v: None if v is None else str(v))
        objects = pulumi.Output.all(target.ami_id, args.vpc_cidr, target.service_cidr, lt_version).apply(
            lambda values: list(render(spec, ami_id=values[0], vpc_cidr=values[1], service_cidr=values[2],
                                       launch_template_version=values[3]).values()))
        # Destroy order: the group's objects, then this wait for their volumes, then the add-ons and nodes.
        volume_wait: list[pulumi.Resource] = []
        if args.kubeconfig is not None:
            volume_wait.append(ProofVolumes(f"{name}-volumes", ProofVolumesArgs(
                kubeconfig=args.kubeconfig, namespaces=[spec.namespace, spec.host_namespace]),
                pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on))))
        # Inside the group the depends-on annotations order the objects; the whole group waits for the
        # add-ons and the association, which the test Jobs need.
        self.objects = k8s.yaml.v2.ConfigGroup(f"{name}-objects", objs=objects, opts=pulumi.ResourceOptions(
            parent=self, provider=args.k8s_provider, depends_on=[*args.depends_on, association, *volume_wait],
            transforms=[replace_jobs_on_any_change]))

        tests = {test.name: test for test in spec.tests()}
        benchmark = kube_bench_benchmark(args.kubernetes_version)
        self.results = pulumi.Output.all(target.ami_id, lt_version).apply(lambda values: {
            "pattern": target.pattern, "level": target.level, "amiId": values[0], "launchTemplateVersion": values[1],
            "namespace": spec.namespace, "hostNamespace": spec.host_namespace,
            "tests": {t.name: {"job": job_name(t.name, values[0]), "expect": t.expect, "outcome": t.outcome}
                      for t in tests.values()},
            "kubeBench": {"job": job_name("kube-bench", values[0]), "benchmark": benchmark,
                          "nodes": max(1, target.nodes),
                          "kubeletConfig": _kubelet_config(target.bootstrap)},
        })
        self.register_outputs({"namespace": self.namespace, "host_namespace": self.host_namespace,
                               "results": self.results})


def _kubelet_config(bootstrap: str | None) -> str:
    for style, where in KUBELET_CONFIG.items():
        if style.value == bootstrap:
            return where
    return "unknown"


"""The workload proof of one node group: sample workloads, test Jobs and kube-bench, pinned to it.

Objects come from `hardened_eks.workload_tests.manifests` as plain dicts; this component only
creates them. Job names carry the node group's AMI id, so a rebuilt AMI replaces every Job and its
results can never be mistaken for the old AMI's. Outside strict mode nothing here is awaited: a
broken node group shows up in its results instead of failing everyone's deployment.
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

# A syntactically valid AMI id that only serves to learn which objects render() makes; their set
# and kinds do not depend on the AMI id or the VPC CIDR.
_SHAPE_AMI = "ami-00000000"
_SHAPE_CIDR = "10.0.0.0/16"

_RESOURCE_CLASSES = {
    "Namespace": k8s.core.v1.Namespace, "ServiceAccount": k8s.core.v1.ServiceAccount,
    "ConfigMap": k8s.core.v1.ConfigMap, "Service": k8s.core.v1.Service,
    "Deployment": k8s.apps.v1.Deployment, "StatefulSet": k8s.apps.v1.StatefulSet,
    "DaemonSet": k8s.apps.v1.DaemonSet, "Job": k8s.batch.v1.Job,
    "NetworkPolicy": k8s.networking.v1.NetworkPolicy,
    "Role": k8s.rbac.v1.Role, "RoleBinding": k8s.rbac.v1.RoleBinding,
}
# Manifest fields to the resource class's keyword arguments.
_FIELD_ARGUMENTS = {"metadata": "metadata", "spec": "spec", "data": "data", "rules": "rules",
                    "roleRef": "role_ref", "subjects": "subjects",
                    "automountServiceAccountToken": "automount_service_account_token"}


@dataclass
class NodeGroupTarget:
    """One hardened node group, as the cluster component describes it."""

    pattern: str
    level: int
    ami_id: pulumi.Input[str]
    labels: Mapping[str, str] = field(default_factory=dict)  # node labels; default: hardened-eks/pattern and /level
    bootstrap: str | None = None  # patterns.Bootstrap value, to say which kubelet config kube-bench reads
    nodes: int = 1  # desired size: kube-bench runs once per node


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
        manifests = pulumi.Output.all(target.ami_id, args.vpc_cidr).apply(
            lambda values: render(spec, ami_id=values[0], vpc_cidr=values[1]))
        shape = render(spec, ami_id=_SHAPE_AMI, vpc_cidr=_SHAPE_CIDR)

        def create(key: str, depends_on: Sequence[pulumi.Resource] = (), **options: Any) -> pulumi.CustomResource:
            kind = shape[key]["kind"]
            fields = {_FIELD_ARGUMENTS[f]: manifests[key][f] for f in shape[key] if f in _FIELD_ARGUMENTS}
            return _RESOURCE_CLASSES[kind](f"{name}-{key}", **fields, opts=pulumi.ResourceOptions(
                parent=self, provider=args.k8s_provider, depends_on=list(depends_on), **options))

        namespaces = [create("namespace"), create("host-namespace")]
        foundation = [create(key, namespaces) for key in shape
                      if key.startswith(("sa-", "role-", "netpol-")) or key in ("checks", "web-content")]
        bindings = [create(key, [*namespaces, *foundation]) for key in shape if key.startswith("rolebinding-")]
        workloads = [create(key, [*namespaces, *foundation, *args.depends_on]) for key in shape
                     if key.startswith("sample-")]

        # Pod Identity for the pod-identity test's service account (and deliberately none for its twin).
        role = aws.iam.Role(f"{name}-pod-identity-test", assume_role_policy=pod_identity_trust_policy(),
                            description=f"Pod Identity test of {target.pattern} level {target.level}; no permissions",
                            tags=args.tags, opts=pulumi.ResourceOptions(parent=self))
        association = aws.eks.PodIdentityAssociation(
            f"{name}-pod-identity-test", cluster_name=args.cluster_name, namespace=spec.namespace,
            service_account="pod-identity", role_arn=role.arn, tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=namespaces))

        # Ordering is transitive: the samples already wait for namespaces, foundation and add-ons.
        before_jobs = [*bindings, *workloads, association]
        jobs = {key: create(key, before_jobs, replace_on_changes=["*"]) for key in shape
                if key.startswith("job-") or key == "kube-bench"}

        tests = {test.name: test for test in spec.tests()}
        benchmark = kube_bench_benchmark(args.kubernetes_version)
        self.results = pulumi.Output.from_input(target.ami_id).apply(lambda ami: {
            "pattern": target.pattern, "level": target.level, "amiId": ami,
            "namespace": spec.namespace, "hostNamespace": spec.host_namespace,
            "tests": {t.name: {"job": job_name(t.name, ami), "expect": t.expect, "outcome": t.outcome}
                      for t in tests.values()},
            "kubeBench": {"job": job_name("kube-bench", ami), "benchmark": benchmark, "nodes": max(1, target.nodes),
                          "kubeletConfig": _kubelet_config(target.bootstrap)},
        })
        self.jobs = jobs
        self.register_outputs({"namespace": self.namespace, "host_namespace": self.host_namespace,
                               "results": self.results})


def _kubelet_config(bootstrap: str | None) -> str:
    for style, where in KUBELET_CONFIG.items():
        if style.value == bootstrap:
            return where
    return "unknown"


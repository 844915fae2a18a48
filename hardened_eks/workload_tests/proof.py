"""Wire the add-ons and one workload proof per node group into the program (its add-ons slot)."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_kubernetes as k8s

from components.addons import Addons, AddonsArgs
from components.workloads import NodeGroupTarget, Workloads, WorkloadsArgs
from hardened_eks.config import StackConfig
from hardened_eks.workload_tests import peer_namespaces


def build_proof(config: StackConfig, cluster_name: pulumi.Input[str], k8s_provider: k8s.Provider,
                targets: Sequence[NodeGroupTarget], vpc_cidr: pulumi.Input[str],
                kms_key_arn: pulumi.Input[str] | None, depends_on: Sequence[pulumi.Resource],
                tags: dict[str, str], kubeconfig: pulumi.Input[str] | None = None) -> dict[str, object]:
    """Create add-ons after `depends_on` (the node groups), then the proof of every target.

    Returns stack outputs: `addonVersions` and `workloadProof` (per node group key: namespaces, Job
    names and AMI id; what `python -m hardened_eks.workload_tests.collect` reads).
    """
    from hardened_eks.program import node_group_key  # late: program imports this module

    addons = Addons("addons", AddonsArgs(cluster_name=cluster_name, kubernetes_version=config.kubernetes_version,
                                         k8s_provider=k8s_provider, kms_key_arn=kms_key_arn,
                                         depends_on=list(depends_on), tags=tags))
    peers = peer_namespaces([(t.pattern, t.level) for t in targets])
    proofs = {
        node_group_key(t.pattern, t.level): Workloads(f"proof-{t.pattern}-l{t.level}", WorkloadsArgs(
            target=t, cluster_name=cluster_name, kubernetes_version=config.kubernetes_version, region=config.region,
            vpc_cidr=vpc_cidr, k8s_provider=k8s_provider, peer_namespace=peers[(t.pattern, t.level)],
            strict=config.strict_workload_tests, depends_on=list(addons.addons.values()), tags=tags,
            kubeconfig=kubeconfig))
        for t in targets}
    return {"addonVersions": addons.versions,
            "workloadProof": {key: proof.results for key, proof in proofs.items()},
            **_node_audits(config, k8s_provider, targets, depends_on)}


def _node_audits(config: StackConfig, k8s_provider: k8s.Provider, targets: Sequence[NodeGroupTarget],
                 depends_on: Sequence[pulumi.Resource]) -> dict[str, object]:
    """With `nodeAudit` (the default), a node audit DaemonSet per Amazon Linux node group, after the node groups;
    the stack output `nodeAudit` says where the collector reads them. Bottlerocket node groups report through
    `apiclient report cis` (hardening.bottlerocket.report), as before."""
    from components.node_audit import NodeAudit, NodeAuditArgs
    from hardened_eks.patterns import PATTERNS
    from hardened_eks.program import node_group_key  # late: program imports this module

    if not config.node_audit:
        return {}
    audits = {}
    for t in targets:
        pattern = PATTERNS[t.pattern]
        if pattern.os_family == "bottlerocket":
            continue
        audits[node_group_key(t.pattern, t.level)] = NodeAudit(f"node-audit-{t.pattern}-l{t.level}", NodeAuditArgs(
            pattern=t.pattern, level=t.level, benchmark=pattern.benchmark.key, ami_id=t.ami_id,
            kubernetes_version=config.kubernetes_version, k8s_provider=k8s_provider,
            excluded=config.excluded(pattern.benchmark.key), ip_family=config.ip_family,
            schedule=config.node_audit_schedule, labels=dict(t.labels), nodes=t.nodes,
            strict=config.strict_workload_tests, depends_on=list(depends_on)))
    return {"nodeAudit": {key: audit.results for key, audit in audits.items()}}


def describe_proof(proof: dict[str, dict], node_audits: dict[str, dict] | None = None) -> list[str]:
    """Plan lines: per node group, its namespaces, sample workloads, test Jobs and kube-bench Job."""
    lines = []
    for key, entry in sorted(proof.items()):
        lines.append(f"{key}  (AMI {entry['amiId']})")
        lines.append(f"  namespace {entry['namespace']} (restricted): Deployment sample-web + Services, "
                     "StatefulSet sample-store (gp3), DaemonSet sample-agent")
        tests = entry["tests"]
        allow = sorted(n for n, t in tests.items() if t["expect"] == "allow")
        deny = sorted(n for n, t in tests.items() if t["expect"] == "deny")
        lines.append(f"  {len(tests)} test Jobs, {len(allow)} allow: {', '.join(allow)}")
        lines.append(f"    {len(deny)} must be refused: {', '.join(deny)}")
        bench = entry["kubeBench"]
        lines.append(f"  namespace {entry['hostNamespace']} (privileged): Job {bench['job']} "
                     f"(kube-bench --benchmark {bench['benchmark']}, {bench['nodes']} node(s))")
        audit = (node_audits or {}).get(key)
        if audit:
            from hardened_eks.node_audit import describe

            lines.append(f"  node audit: {describe(audit)}")
        elif node_audits is not None:
            lines.append("  node audit: none (Bottlerocket reports through `apiclient report cis`, "
                         "or hardened-eks:nodeAudit is false)")
    return lines

"""The live node audit of one Amazon Linux node group: a DaemonSet that audits every node with the AMI's audit.

Objects come from `hardened_eks.node_audit.render` as plain dicts and are created by one ConfigGroup
(pulumi-kubernetes yaml/v2), ordered by their depends-on annotations. The script is the one the node
group's AMI build ran (`hardened_eks.ami_build.spec.hardening_script`, same benchmark, level,
exclusions and IP family), so a live node and its build report are judged by the same controls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from hardened_eks.ami_build.spec import hardening_script
from hardened_eks.node_audit import (
    AUDIT_IMAGE,
    CONTAINER,
    DAEMON_SET,
    NodeAuditError,
    NodeAuditSpec,
    profile_digest,
    render,
    script_files,
)
from hardened_eks.node_audit.schedule import DEFAULT_SCHEDULE


@dataclass
class NodeAuditArgs:
    pattern: str
    level: int
    benchmark: str
    ami_id: pulumi.Input[str]
    kubernetes_version: str
    k8s_provider: k8s.Provider
    excluded: tuple[str, ...] = ()
    ip_family: str = "ipv4"
    schedule: str = DEFAULT_SCHEDULE
    labels: Mapping[str, str] = field(default_factory=dict)
    tolerations: Sequence[Mapping[str, Any]] = ()
    nodes: int = 1  # the node group's desired size: one audit per node
    strict: bool = False
    depends_on: Sequence[pulumi.Resource] = ()  # the node group


class NodeAudit(pulumi.ComponentResource):
    results: pulumi.Output[dict[str, Any]]  # where the collector finds this node group's node audits

    def __init__(self, name: str, args: NodeAuditArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("hardened-eks:node_audit:NodeAudit", name, None, opts)
        spec = NodeAuditSpec(pattern=args.pattern, level=args.level, kubernetes_version=args.kubernetes_version,
                             schedule=args.schedule, node_labels=dict(args.labels),
                             tolerations=tuple(args.tolerations), strict=args.strict)
        script = hardening_script(args.benchmark, args.level, tuple(args.excluded), args.ip_family)
        digest = profile_digest(script)
        try:
            script_files(script)  # before any resource: a script no ConfigMap can hold stops here, in one line
        except NodeAuditError as error:
            raise pulumi.RunError(f"node audit of {args.pattern} level {args.level}: {error}") from None
        objects = pulumi.Output.from_input(args.ami_id).apply(
            lambda ami: list(render(spec, script, ami).values()))
        self.objects = k8s.yaml.v2.ConfigGroup(f"{name}-objects", objs=objects, opts=pulumi.ResourceOptions(
            parent=self, provider=args.k8s_provider, depends_on=list(args.depends_on)))
        self.results = pulumi.Output.from_input(args.ami_id).apply(lambda ami: {
            "pattern": args.pattern, "level": args.level, "benchmark": args.benchmark, "amiId": ami,
            "namespace": spec.namespace, "daemonSet": DAEMON_SET, "container": CONTAINER,
            "profileDigest": digest, "schedule": args.schedule, "image": AUDIT_IMAGE.reference,
            "nodes": max(1, args.nodes)})
        self.register_outputs({"results": self.results})

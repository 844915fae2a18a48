"""The one seam between the pipeline and the modules that turn a running stack into result files.

Each collector is a component's function, called with a `CollectContext` (directly, or through a small
adapter here when it takes other arguments), that writes results through
`hardened_eks.results.write_result`. The pipeline finds them by dotted name, so a collector
that has not been written yet is reported as missing (its results then stay missing and the report
marks those node groups `unknown`), and tests inject fakes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hardened_eks.config import StackConfig


@dataclass(frozen=True)
class CollectContext:
    stack: str
    config: StackConfig
    outputs: Mapping[str, Any]  # stack outputs, secrets included (the kubeconfig), never written to disk
    kubeconfig_path: Path | None  # a 0600 temporary file, removed after collection; None for amiOnly stacks
    results_root: Path
    log: Callable[[str], None]


Collector = Callable[[CollectContext], None]


def _call_directly(collect: Callable[..., Any], context: CollectContext) -> None:
    collect(context)


@dataclass(frozen=True)
class CollectorSpec:
    label: str
    target: str  # "package.module:function" of the component that owns the results
    # How to call the target with a context (an adapter where the component's function takes other arguments).
    call: Callable[[Callable[..., Any], CollectContext], None] = _call_directly
    needs_cluster: bool = True


class CollectorMissing(LookupError):
    pass


def _call_workload_collector(collect: Callable[..., Any], context: CollectContext) -> None:
    from hardened_eks.workload_tests.collect import KubectlReader, Wait

    proof = context.outputs.get(WORKLOAD_PROOF_OUTPUT)
    if not proof or context.kubeconfig_path is None:
        raise CollectorMissing(f"stack outputs {WORKLOAD_PROOF_OUTPUT!r} and 'kubeconfig' are needed, "
                               f"found {', '.join(sorted(context.outputs)) or 'none'}")
    # `up` returns as soon as the Jobs exist (they are not awaited): wait until they have run, bounded by
    # their own deadlines, with a progress line per round, before any result is written.
    collect(KubectlReader(str(context.kubeconfig_path)), context.stack, proof, context.results_root,
            wait=Wait(log=context.log))


def _aws_clients(region: str) -> tuple[Any, Any]:
    import boto3

    session = boto3.Session(region_name=region)
    return session.client("ec2"), session.client("ssm")


def _call_bottlerocket_collector(collect: Callable[..., Any], context: CollectContext) -> None:
    from hardened_eks.results import write_result
    from pipeline.report import expected_kinds

    ec2, ssm = _aws_clients(context.config.region)
    for pattern, level in context.config.node_groups():
        if "bottlerocket" not in expected_kinds(pattern, context.config.ami_only):
            continue
        document = collect(ec2, ssm, context.stack, level,
                           now=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        if document is None:
            context.log(f"collect: no running node of {pattern.name} level {level}")
            continue
        write_result(context.results_root, context.stack, pattern.name, level, "bottlerocket", document)


def _call_node_audit_collector(collect: Callable[..., Any], context: CollectContext) -> None:
    from hardened_eks.node_audit.collect import KubectlNodeAuditReader, ec2_ami_lookup
    from hardened_eks.workload_tests.collect import Wait

    if not context.config.node_audit:
        context.log("collect: node audit off (hardened-eks:nodeAudit false)")
        return
    node_audits = context.outputs.get(NODE_AUDIT_OUTPUT)
    if node_audits is None or context.kubeconfig_path is None:
        raise CollectorMissing(f"stack outputs {NODE_AUDIT_OUTPUT!r} and 'kubeconfig' are needed, "
                               f"found {', '.join(sorted(context.outputs)) or 'none'}")
    ec2, _ = _aws_clients(context.config.region)
    collect(KubectlNodeAuditReader(str(context.kubeconfig_path)), context.stack, node_audits, ec2_ami_lookup(ec2),
            context.results_root, wait=Wait(log=context.log))


WORKLOAD_PROOF_OUTPUT = "workloadProof"
NODE_AUDIT_OUTPUT = "nodeAudit"
# The collectors other components provide, in the order they run.
DEFAULT_COLLECTORS: tuple[CollectorSpec, ...] = (
    CollectorSpec("workload tests and kube-bench", "hardened_eks.workload_tests.collect:collect",
                  call=_call_workload_collector),
    CollectorSpec("Bottlerocket on-node reports", "hardening.bottlerocket.report:collect",
                  call=_call_bottlerocket_collector),
    CollectorSpec("Amazon Inspector", "hardened_eks.inspector.results:collect"),
    CollectorSpec("live node audits", "hardened_eks.node_audit.collect:collect", call=_call_node_audit_collector),
)


def resolve(spec: CollectorSpec) -> Collector:
    module_name, _, function = spec.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            raise CollectorMissing(f"{spec.label}: {spec.target} is not available ({error})") from None
        raise
    collect = getattr(module, function, None)
    if not callable(collect):
        raise CollectorMissing(f"{spec.label}: {module_name} has no function {function}()")
    return collect


@dataclass(frozen=True)
class CollectOutcome:
    ran: tuple[str, ...]
    missing: tuple[str, ...]
    failed: tuple[str, ...]


def collect_all(context: CollectContext, specs: Sequence[CollectorSpec] = DEFAULT_COLLECTORS,
                resolver: Callable[[CollectorSpec], Collector] = resolve) -> CollectOutcome:
    """Run every collector; one that fails or is missing is reported, and the others still run."""
    ran, missing, failed = [], [], []
    for spec in specs:
        if spec.needs_cluster and context.config.ami_only:
            continue
        try:
            collect = resolver(spec)
        except CollectorMissing as error:
            context.log(f"collect: skipped, {error}")
            missing.append(spec.label)
            continue
        context.log(f"collect: {spec.label}")
        try:
            spec.call(collect, context)
        except CollectorMissing as error:
            context.log(f"collect: skipped, {spec.label}: {error}")
            missing.append(spec.label)
            continue
        except Exception as error:
            context.log(f"collect: {spec.label} failed: {type(error).__name__}: {error}")
            failed.append(spec.label)
            continue
        ran.append(spec.label)
    return CollectOutcome(tuple(ran), tuple(missing), tuple(failed))

"""The one seam between the pipeline and the modules that turn a running stack into result files.

Each collector is a function `collect(context: CollectContext) -> None` that writes its results
through `hardened_eks.results.write_result`. The pipeline finds them by dotted name, so a collector
that has not been written yet is reported as missing (its results then stay missing and the report
marks those node groups `unknown`), and tests inject fakes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CollectorSpec:
    label: str
    target: str  # "package.module:function"
    needs_cluster: bool = True


# The collectors other components provide, in the order they run.
DEFAULT_COLLECTORS: tuple[CollectorSpec, ...] = (
    CollectorSpec("workload tests and kube-bench", "hardened_eks.workload_tests.collect:collect"),
    CollectorSpec("Bottlerocket on-node reports", "hardening.bottlerocket.collect:collect"),
    CollectorSpec("Amazon Inspector", "hardened_eks.inspector.results:collect"),
)


class CollectorMissing(LookupError):
    pass


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
            collect(context)
        except Exception as error:
            context.log(f"collect: {spec.label} failed: {type(error).__name__}: {error}")
            failed.append(spec.label)
            continue
        ran.append(spec.label)
    return CollectOutcome(tuple(ran), tuple(missing), tuple(failed))

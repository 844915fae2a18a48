"""The collector seam: lookup by name, adapters to the components' own functions, failures kept apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import pipeline.collectors as collectors
from pipeline.collectors import CollectContext, CollectorMissing, CollectorSpec, collect_all, resolve
from tests.pipeline.conftest import FIXTURES, dev_config


def context(tmp_path: Path, lines: list[str], **changes: Any) -> CollectContext:
    values: dict[str, Any] = {"stack": "dev", "config": dev_config(), "outputs": {}, "kubeconfig_path": None,
                              "results_root": tmp_path / "results", "log": lines.append}
    return CollectContext(**{**values, **changes})


def test_resolve_finds_a_function_and_reports_what_is_missing() -> None:
    assert resolve(CollectorSpec("x", "pipeline.report:build_report")).__name__ == "build_report"
    with pytest.raises(CollectorMissing, match=r"x: hardened_eks\.nothing_here:collect is not available"):
        resolve(CollectorSpec("x", "hardened_eks.nothing_here:collect"))
    with pytest.raises(CollectorMissing, match=r"pipeline\.report has no function nothing"):
        resolve(CollectorSpec("x", "pipeline.report:nothing"))


def test_default_collectors_name_the_components_functions() -> None:
    assert [spec.target for spec in collectors.DEFAULT_COLLECTORS] == [
        "hardened_eks.workload_tests.collect:collect", "hardening.bottlerocket.report:collect",
        "hardened_eks.inspector.results:collect"]


def test_ami_only_stacks_skip_cluster_collectors(tmp_path) -> None:
    lines: list[str] = []
    called = []
    config = dev_config(amiOnly="true")
    outcome = collect_all(context(tmp_path, lines, config=config), [CollectorSpec("c", "x:y")],
                          resolver=lambda spec: called.append)
    assert outcome.ran == () and called == []


def test_workload_adapter_needs_the_proof_output_and_kubeconfig(tmp_path) -> None:
    lines: list[str] = []
    calls = []
    spec = collectors.DEFAULT_COLLECTORS[0]
    outcome = collect_all(context(tmp_path, lines), [spec], resolver=lambda s: lambda *a: calls.append(a))
    assert outcome.missing == ("workload tests and kube-bench",) and calls == []
    proof = {"eks-optimized-al2023/level-1": {"pattern": "eks-optimized-al2023", "level": 1}}
    kubeconfig = tmp_path / "kubeconfig"
    outcome = collect_all(context(tmp_path, lines, outputs={"workloadProof": proof}, kubeconfig_path=kubeconfig),
                          [spec], resolver=lambda s: lambda *a: calls.append(a))
    assert outcome.ran == ("workload tests and kube-bench",)
    reader, stack, given_proof, root = calls[0]
    assert reader.base == ["kubectl", "--kubeconfig", str(kubeconfig)]
    assert (stack, given_proof, root) == ("dev", proof, tmp_path / "results")


def test_bottlerocket_adapter_writes_one_result_per_bottlerocket_level(tmp_path, monkeypatch) -> None:
    document = json.loads((FIXTURES / "current/result-files/dev/bottlerocket/level-1/bottlerocket.json").read_text())
    monkeypatch.setattr(collectors, "_aws_clients", lambda region: ("ec2", "ssm"))
    asked = []

    def fake_collect(ec2, ssm, stack, level, now):
        asked.append((ec2, ssm, stack, level))
        return {**document, "level": level} if level == 1 else None

    lines: list[str] = []
    spec = collectors.DEFAULT_COLLECTORS[1]
    outcome = collect_all(context(tmp_path, lines), [spec], resolver=lambda s: fake_collect)
    assert outcome.ran == ("Bottlerocket on-node reports",)
    assert asked == [("ec2", "ssm", "dev", 1), ("ec2", "ssm", "dev", 2)]
    assert (tmp_path / "results/dev/bottlerocket/level-1/bottlerocket.json").exists()
    assert not (tmp_path / "results/dev/bottlerocket/level-2/bottlerocket.json").exists()
    assert "collect: no running node of bottlerocket level 2" in lines

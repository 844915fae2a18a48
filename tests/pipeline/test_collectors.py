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
        "hardened_eks.inspector.results:collect", "hardened_eks.node_audit.collect:collect"]


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
                          [spec], resolver=lambda s: lambda *a, **kw: calls.append((a, kw)))
    assert outcome.ran == ("workload tests and kube-bench",)
    (reader, stack, given_proof, root), options = calls[0]
    assert reader.base == ["kubectl", "--kubeconfig", str(kubeconfig)]
    assert (stack, given_proof, root) == ("dev", proof, tmp_path / "results")
    # it waits for the proof to have run (bounded by the Jobs' deadlines), logging through the pipeline
    wait = options["wait"]
    assert wait.timeout_seconds is None and wait.log == lines.append


def test_up_report_waits_for_running_jobs_through_kubectl(tmp_path, monkeypatch) -> None:
    """The real adapter and collector against a kubectl whose Job finishes on the third look."""
    import stat

    from hardened_eks.results import read_result
    from hardened_eks.workload_tests import collect as workload_collect

    ami = "ami-0aaaaaaaaaaaaaaa1"
    proof = {"bottlerocket/level-1": {
        "pattern": "bottlerocket", "level": 1, "amiId": ami, "namespace": "proof-bottlerocket-l1",
        "hostNamespace": "proof-bottlerocket-l1-host",
        "tests": {"dns-cluster": {"job": f"dns-cluster-{ami}", "expect": "allow", "outcome": "script"}},
        "kubeBench": {"job": f"kube-bench-{ami}", "benchmark": "eks-1.8.0", "nodes": 1, "kubeletConfig": "x"}}}
    running = {"items": [{"metadata": {"name": f"dns-cluster-{ami}"}, "spec": {"activeDeadlineSeconds": 900},
                          "status": {"active": 1}}]}
    done = {"items": [{"metadata": {"name": f"dns-cluster-{ami}"}, "spec": {"activeDeadlineSeconds": 900},
                       "status": {"conditions": [{"type": "Complete", "status": "True"}]}}]}
    pod = {"metadata": {"name": "dns-b", "creationTimestamp": "2026-10-02T09:58:00Z"}, "spec": {"nodeName": "n1"},
           "status": {"containerStatuses": [{"name": "check", "state": {"terminated": {
               "exitCode": 0, "finishedAt": "2026-10-02T09:59:01Z"}}}]}}
    (tmp_path / "running.json").write_text(json.dumps(running))
    (tmp_path / "done.json").write_text(json.dumps(done))
    (tmp_path / "pods.json").write_text(json.dumps({"items": [pod]}))
    kubectl = tmp_path / "bin" / "kubectl"
    kubectl.parent.mkdir()
    kubectl.write_text(f"""#!/bin/sh
d={tmp_path}
case "$*" in
  *"get jobs"*"-host"*) echo '{{"items": []}}' ;;
  *"get jobs"*) n=$(cat $d/looks 2>/dev/null || echo 0); n=$((n+1)); echo $n > $d/looks
                if [ $n -ge 3 ]; then cat $d/done.json; else cat $d/running.json; fi ;;
  *"get pods"*) cat $d/pods.json ;;
  *"logs"*) echo 'hardened-eks-result outcome=allowed node=n1 time=2026-10-02T09:59:00Z detail=ok' ;;
  *) echo "unexpected $*" >&2; exit 1 ;;
esac
""")
    kubectl.chmod(kubectl.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{kubectl.parent}:/usr/bin:/bin")
    slept: list[float] = []
    monkeypatch.setattr(workload_collect, "_sleep", slept.append)
    lines: list[str] = []
    outcome = collect_all(context(tmp_path, lines, outputs={"workloadProof": proof},
                                  kubeconfig_path=tmp_path / "kubeconfig"), [collectors.DEFAULT_COLLECTORS[0]])
    assert outcome.ran == ("workload tests and kube-bench",), lines
    assert len(slept) == 2 and [line for line in lines if "waiting for 1 unfinished Job(s)" in line]
    test = read_result(tmp_path / "results", "dev", "bottlerocket", 1, "workloads")["tests"][0]
    assert test["status"] == "pass"


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

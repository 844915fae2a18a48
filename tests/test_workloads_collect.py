"""The collector: Job pod logs (passing, failing, malformed) and kube-bench output become schema-valid results."""

from __future__ import annotations

import json
import os
import stat

import pytest

from hardened_eks.results import read_result
from hardened_eks.schemas import validate
from hardened_eks.workload_tests.collect import (
    KubeBenchOutputError,
    KubectlReader,
    collect,
    judge,
    parse_kube_bench,
    parse_result_line,
)

AMI = "ami-0aaaaaaaaaaaaaaa1"
NOW = "2026-10-02T10:00:00Z"


def line(outcome, node="ip-10-0-1-5.ec2.internal", detail="did it"):
    return f"hardened-eks-result outcome={outcome} node={node} time=2026-10-02T09:59:00Z detail={detail}"


def pod(name, node="ip-10-0-1-5.ec2.internal", state=None, created="2026-10-02T09:58:00Z", container="check"):
    state = state or {"terminated": {"exitCode": 0, "finishedAt": "2026-10-02T09:59:01Z"}}
    return {"metadata": {"name": name, "creationTimestamp": created}, "spec": {"nodeName": node},
            "status": {"containerStatuses": [{"name": container, "state": state, "imageID": "sha256:abc"}]}}


def exited(code):
    return {"terminated": {"exitCode": code, "finishedAt": "2026-10-02T09:59:01Z"}}


KUBE_BENCH_REPORT = {"Controls": [{"id": "3", "version": "eks-1.8.0", "text": "Worker Nodes", "node_type": "node",
                                   "tests": [{"section": "3.1", "desc": "files", "results": [
                                       {"test_number": "3.1.1", "test_desc": "kubeconfig 644", "status": "PASS",
                                        "scored": True, "actual_value": "permissions=600", "remediation": "chmod"},
                                       {"test_number": "3.2.1", "test_desc": "anonymous auth", "status": "FAIL",
                                        "scored": True, "actual_value": "true", "remediation": "set false"},
                                       {"test_number": "3.2.9", "test_desc": "event qps", "status": "WARN",
                                        "scored": False, "remediation": ""}]}]}],
                     "Totals": {"total_pass": 1, "total_fail": 1, "total_warn": 1, "total_info": 0}}


class FakeReader:
    def __init__(self, pods, logs):
        self.pods, self.logs = pods, logs

    def job_pods(self, namespace, job):
        return self.pods.get(job, [])

    def pod_log(self, namespace, pod_name, container):
        return self.logs[pod_name]


def proof_entry(tests):
    return {"pattern": "bottlerocket", "level": 1, "amiId": AMI, "namespace": "proof-bottlerocket-l1",
            "hostNamespace": "proof-bottlerocket-l1-host",
            "tests": {name: {"job": f"{name}-{AMI}", "expect": expect, "outcome": outcome}
                      for name, (expect, outcome) in tests.items()},
            "kubeBench": {"job": f"kube-bench-{AMI}", "benchmark": "eks-1.8.0", "nodes": 2, "kubeletConfig": "x"}}


def test_result_line_parsing():
    assert parse_result_line(f"noise\n{line('allowed')}\n").outcome == "allowed"
    assert parse_result_line(f"{line('refused')}\n{line('allowed')}").outcome == "allowed"  # the last one counts
    assert parse_result_line("hardened-eks-result outcome=maybe node=x time=now detail=") is None
    assert parse_result_line("") is None


@pytest.mark.parametrize(("expect", "outcome", "status"), [
    ("allow", "allowed", "pass"), ("allow", "refused", "fail"), ("deny", "refused", "pass"),
    ("deny", "allowed", "fail"), ("deny", "inconclusive", "error"), ("allow", "inconclusive", "error")])
def test_judge(expect, outcome, status):
    assert judge(expect, outcome) == status


def test_pass_fail_malformed_pending_and_pull_refusal_become_valid_results(tmp_path):
    tests = {"dns-cluster": ("allow", "script"), "pod-to-service-denied": ("deny", "script"),
             "kubelet-exec": ("allow", "script"), "rootfs-write": ("allow", "script"),
             "volume-write-read": ("allow", "script"), "image-pull-unknown": ("deny", "pod-status"),
             "pod-identity": ("allow", "script"), "imds-from-pod": ("deny", "script")}
    pods = {
        f"dns-cluster-{AMI}": [pod("dns-a", state=exited(1), created="2026-10-02T09:50:00Z"), pod("dns-b")],
        f"pod-to-service-denied-{AMI}": [pod("deny-a", state=exited(1))],
        f"kubelet-exec-{AMI}": [pod("exec-a", state=exited(0))],
        f"rootfs-write-{AMI}": [pod("rootfs-a", state={"running": {"startedAt": NOW}})],
        f"image-pull-unknown-{AMI}": [pod("pull-a", state={"waiting": {"reason": "ImagePullBackOff",
                                                                         "message": "not found"}})],
        f"pod-identity-{AMI}": [pod("pi-a", state=exited(0))],
        f"imds-from-pod-{AMI}": [pod("imds-a", state=exited(0), node="ip-10-0-1-5.ec2.internal")],
    }
    logs = {"dns-b": line("allowed", detail="resolved to 172.20.0.1"), "dns-a": line("refused"),
            "deny-a": line("allowed", detail="GET answered"),  # a deny test whose traffic got through: fail
            "exec-a": "Error: something crashed before the result line\n",  # malformed: error, never pass
            "pi-a": line("refused"),  # says refused but exited 0: inconsistent, error
            "imds-a": line("refused", node="ip-10-9-9-9.ec2.internal")}  # node mismatch: error
    paths = collect(FakeReader(pods, logs), "dev", {"bottlerocket/level-1": proof_entry(tests)}, tmp_path, now=NOW)
    assert len(paths) == 2
    document = read_result(tmp_path, "dev", "bottlerocket", 1, "workloads")
    by_name = {t["name"]: t for t in document["tests"]}
    assert by_name["dns-cluster"]["status"] == "pass" and "(attempt 2)" in by_name["dns-cluster"]["detail"]
    assert by_name["dns-cluster"]["node"] == "ip-10-0-1-5.ec2.internal" and by_name["dns-cluster"]["amiId"] == AMI
    assert by_name["dns-cluster"]["finishedAt"] == "2026-10-02T09:59:01Z"
    assert by_name["pod-to-service-denied"]["status"] == "fail"
    assert by_name["kubelet-exec"]["status"] == "error" and "malformed" in by_name["kubelet-exec"]["detail"]
    assert by_name["rootfs-write"]["status"] == "pending"
    assert by_name["volume-write-read"]["status"] == "pending"  # no pods at all yet
    assert by_name["image-pull-unknown"]["status"] == "pass"
    assert by_name["pod-identity"]["status"] == "error"
    assert by_name["imds-from-pod"]["status"] == "error" and "ip-10-9-9-9" in by_name["imds-from-pod"]["detail"]


def test_kube_bench_output_is_parsed_with_stderr_noise():
    output = "W1002 09:59:00 util.go:123 something\n" + json.dumps(KUBE_BENCH_REPORT) + "\nI1002 done\n"
    checks, summary = parse_kube_bench(output)
    assert [c["id"] for c in checks] == ["3.1.1", "3.2.1", "3.2.9"]
    assert summary == {"pass": 1, "fail": 1, "warn": 1, "info": 0}
    assert checks[1] == {"id": "3.2.1", "title": "anonymous auth", "status": "FAIL", "scored": True,
                         "actual": "true", "remediation": "set false"}
    # older kube-bench releases print the bare list of controls, sometimes pretty-printed
    assert parse_kube_bench(json.dumps(KUBE_BENCH_REPORT["Controls"], indent=2))[1]["fail"] == 1


@pytest.mark.parametrize("output", ["", "not json at all", '{"Controls": []}', '{"Controls": [{"tests": []}]}',
                                    json.dumps({"Controls": [{"tests": [{"results": [{"test_number": "3.1.1",
                                                                                     "status": "MAYBE"}]}]}]})])
def test_malformed_kube_bench_output_is_rejected(output):
    with pytest.raises(KubeBenchOutputError):
        parse_kube_bench(output)


def test_kube_bench_results_record_node_ami_time_and_errors(tmp_path):
    entry = proof_entry({})
    job = entry["kubeBench"]["job"]
    pods = {job: [pod("kb-1", node="node-a", container="kube-bench"),
                  pod("kb-2", node="node-b", container="kube-bench", state={"running": {}})]}
    collect(FakeReader(pods, {"kb-1": json.dumps(KUBE_BENCH_REPORT)}), "dev", {"k": entry}, tmp_path, now=NOW)
    document = read_result(tmp_path, "dev", "bottlerocket", 1, "kube-bench")
    assert [n["node"] for n in document["nodes"]] == ["node-a"]
    node = document["nodes"][0]
    assert node["amiId"] == AMI and node["collectedAt"] == "2026-10-02T09:59:01Z" and node["summary"]["fail"] == 1
    assert document["errors"] == [{"pod": "kb-2", "node": "node-b", "detail": "not finished: running"}]

    garbage = {job: [pod("kb-1", node="node-a", container="kube-bench")]}
    collect(FakeReader(garbage, {"kb-1": "panic: no config"}), "dev", {"k": entry}, tmp_path, now=NOW)
    document = read_result(tmp_path, "dev", "bottlerocket", 1, "kube-bench")
    assert document["nodes"] == []
    assert "no kube-bench JSON report" in document["errors"][0]["detail"]
    assert "1 of 2 nodes" in document["errors"][1]["detail"]
    validate("kube-bench", document)


@pytest.fixture
def fake_kubectl(tmp_path):
    """A kubectl on PATH that answers from files, to test the real subprocess path."""
    script = tmp_path / "kubectl"
    pods = {"items": [pod("dns-b")]}
    (tmp_path / "pods.json").write_text(json.dumps(pods))
    script.write_text(f"""#!/bin/sh
echo "$@" >> {tmp_path}/calls
case "$*" in
  *"get pods"*) cat {tmp_path}/pods.json ;;
  *"logs"*"dns-b"*) echo '{line("allowed")}' ;;
  *) echo "error: unexpected $*" >&2; exit 1 ;;
esac
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return tmp_path


def test_kubectl_reader_runs_kubectl(fake_kubectl, tmp_path):
    reader = KubectlReader(kubeconfig="/tmp/kc", kubectl=str(fake_kubectl / "kubectl"))
    entry = proof_entry({"dns-cluster": ("allow", "script")})
    collect(reader, "dev", {"k": entry}, tmp_path / "results", now=NOW)
    document = read_result(tmp_path / "results", "dev", "bottlerocket", 1, "workloads")
    assert document["tests"][0]["status"] == "pass"
    calls = (fake_kubectl / "calls").read_text()
    assert f"--kubeconfig /tmp/kc get pods -n proof-bottlerocket-l1 -l job-name=dns-cluster-{AMI} -o json" in calls
    # kubectl failing for kube-bench becomes an error entry, not a crash
    kube_bench = read_result(tmp_path / "results", "dev", "bottlerocket", 1, "kube-bench")
    assert kube_bench["nodes"] == [] and kube_bench["errors"]


def test_kubectl_missing_is_a_clear_error(tmp_path):
    reader = KubectlReader(kubectl=os.path.join(str(tmp_path), "no-kubectl"))
    entry = proof_entry({"dns-cluster": ("allow", "script")})
    collect(reader, "dev", {"k": entry}, tmp_path, now=NOW)
    test = read_result(tmp_path, "dev", "bottlerocket", 1, "workloads")["tests"][0]
    assert test["status"] == "error" and "no-kubectl" in test["detail"]

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
ALL_TESTS = ["dns-cluster", "pod-to-service-denied", "kubelet-exec", "rootfs-write", "volume-write-read",
             "image-pull-unknown", "pod-identity", "imds-from-pod"]
# What the kubelet puts in the waiting state when containerd's resolver got a 404 for the manifest.
NOT_FOUND_MESSAGE = ('rpc error: code = NotFound desc = failed to pull and unpack image '
                     '"quay.io/curl/curl:hardened-eks-no-such-tag": failed to resolve reference '
                     '"quay.io/curl/curl:hardened-eks-no-such-tag": '
                     'quay.io/curl/curl:hardened-eks-no-such-tag: not found')
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


def job(name, condition=None, lt_version=None, deadline=900):
    """A Job as the API server returns it; condition: None (active), "Complete" or "Failed"."""
    labels = {"hardened-eks/launch-template-version": str(lt_version)} if lt_version is not None else {}
    status = {"conditions": [{"type": condition, "status": "True", "reason": "DeadlineExceeded" if condition == "Failed"
                              else None}]} if condition else {"active": 1}
    return {"metadata": {"name": name, "labels": labels}, "spec": {"activeDeadlineSeconds": deadline},
            "status": status}


def active_jobs(*entries):
    return [job(info["job"]) for entry in entries for info in entry["tests"].values()] + \
        [job(entry["kubeBench"]["job"]) for entry in entries]


class FakeReader:
    def __init__(self, pods, logs, jobs=None, events=None):
        self.pods, self.logs, self.events = pods, logs, events or {}
        self.job_list = jobs

    def jobs(self, namespace):
        if self.job_list is None:  # every Job the test reads exists and is still running
            return [job(name) for name in self.pods] + [job(f"{n}-{AMI}") for n in [*ALL_TESTS, "kube-bench"]]
        return self.job_list

    def job_pods(self, namespace, job_name):
        return self.pods.get(job_name, [])

    def pod_log(self, namespace, pod_name, container):
        return self.logs[pod_name]

    def pod_events(self, namespace, pod_name):
        return self.events.get(pod_name, [])


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
        f"image-pull-unknown-{AMI}": [pod("pull-a", state={"waiting": {"reason": "ErrImagePull",
                                                                         "message": NOT_FOUND_MESSAGE}})],
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
    (tmp_path / "jobs.json").write_text(json.dumps({"items": [job(f"dns-cluster-{AMI}", "Complete")]}))
    script.write_text(f"""#!/bin/sh
echo "$@" >> {tmp_path}/calls
case "$*" in
  *"get pods"*) cat {tmp_path}/pods.json ;;
  *"get jobs"*"-host"*) echo '{{"items": []}}' ;;
  *"get jobs"*) cat {tmp_path}/jobs.json ;;
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


# -- the pull refusal counts only on a not-found answer ---------------------------------------------

PULL_ANSWERS = {
    # Docker Hub's anonymous limit, as containerd reports the 429
    "docker-hub-rate-limit": ('failed to pull and unpack image "docker.io/curlimages/curl:8.16.0": failed to copy: '
                              'httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/'
                              'curlimages/curl/manifests/sha256:0a1b: 429 Too Many Requests - Server message: '
                              'toomanyrequests: You have reached your unauthenticated pull rate limit. '
                              'https://www.docker.com/increase-rate-limit'),
    "ecr-public-throttle": ('rpc error: code = Unknown desc = failed to pull and unpack image '
                            '"quay.io/curl/curl:hardened-eks-no-such-tag": failed to resolve reference '
                            '"quay.io/curl/curl:hardened-eks-no-such-tag": unexpected status from HEAD '
                            'request to https://quay.io/v2/curl/curl/manifests/hardened-eks-no-such-tag: '
                            '429 Too Many Requests'),
    "nat-timeout": ('rpc error: code = DeadlineExceeded desc = failed to pull and unpack image '
                    '"quay.io/curl/curl:hardened-eks-no-such-tag": failed to resolve reference '
                    '"quay.io/curl/curl:hardened-eks-no-such-tag": failed to do request: Head '
                    '"https://quay.io/v2/curl/curl/manifests/hardened-eks-no-such-tag": dial tcp '
                    '75.2.101.78:443: i/o timeout'),
    "dns-failure": ('rpc error: code = Unknown desc = failed to pull and unpack image "quay.io/curl/curl:x": '
                    'failed to resolve reference "quay.io/curl/curl:x": failed to do request: Head '
                    '"https://quay.io/v2/curl/curl/manifests/x": dial tcp: lookup public.ecr.aws on '
                    '10.0.0.2:53: no such host'),
}


def pull_entry():
    return proof_entry({"image-pull-unknown": ("deny", "pod-status")})


def pull_reader(state, events=None):
    name = f"image-pull-unknown-{AMI}"
    return FakeReader({name: [pod("pull-a", state=state)]}, {}, jobs=[job(name), job(f"kube-bench-{AMI}")],
                      events={"pull-a": events} if events else None)


def pull_status(tmp_path, reader):
    collect(reader, "dev", {"k": pull_entry()}, tmp_path, now=NOW)
    return read_result(tmp_path, "dev", "bottlerocket", 1, "workloads")["tests"][0]


def test_the_pull_refusal_passes_on_the_registrys_not_found(tmp_path):
    test = pull_status(tmp_path, pull_reader({"waiting": {"reason": "ErrImagePull", "message": NOT_FOUND_MESSAGE}}))
    assert test["status"] == "pass" and "no such image" in test["detail"]


@pytest.mark.parametrize("answer", sorted(PULL_ANSWERS))
def test_the_pull_refusal_never_passes_on_a_rate_limit_timeout_or_network_error(tmp_path, answer):
    test = pull_status(tmp_path, pull_reader({"waiting": {"reason": "ErrImagePull", "message": PULL_ANSWERS[answer]}}))
    assert test["status"] == "error" and "without a not-found answer" in test["detail"]


def test_a_pull_in_back_off_is_judged_by_the_kubelets_failure_event(tmp_path):
    """In back-off the waiting message is only `Back-off pulling image "..."`; the cause is in the events."""
    backoff = {"waiting": {"reason": "ImagePullBackOff",
                           "message": 'Back-off pulling image "quay.io/curl/curl:hardened-eks-no-such-tag"'}}

    def event(message, at):
        return {"reason": "Failed", "type": "Warning", "lastTimestamp": at,
                "message": f'Failed to pull image "quay.io/curl/curl:hardened-eks-no-such-tag": {message}'}

    not_found = [event(PULL_ANSWERS["nat-timeout"], "2026-10-02T09:58:00Z"), event(NOT_FOUND_MESSAGE, "2026-10-02T09:59:00Z")]
    assert pull_status(tmp_path, pull_reader(backoff, not_found))["status"] == "pass"
    throttled = [event(NOT_FOUND_MESSAGE, "2026-10-02T09:58:00Z"), event(PULL_ANSWERS["ecr-public-throttle"],
                                                                        "2026-10-02T09:59:00Z")]
    assert pull_status(tmp_path, pull_reader(backoff, throttled))["status"] == "error"
    assert pull_status(tmp_path, pull_reader(backoff))["status"] == "error"  # no cause anywhere: proves nothing


# -- waiting until the proof has run ----------------------------------------------------------------

class EvolvingCluster(FakeReader):
    """Jobs that finish at a given (fake) time: what `up` leaves behind while the pods still pull images."""

    def __init__(self, clock, finish_at, entry, pod_gone=()):
        super().__init__({}, {}, jobs=[])
        self.clock, self.finish_at, self.entry, self.pod_gone = clock, finish_at, entry, set(pod_gone)

    def _done(self):
        return self.clock() >= self.finish_at

    def jobs(self, namespace):
        names = [info["job"] for info in self.entry["tests"].values()] + [self.entry["kubeBench"]["job"]]
        return [job(n, "Complete" if self._done() else None) for n in names]

    def job_pods(self, namespace, job_name):
        if job_name in self.pod_gone:
            return []
        if job_name.startswith("kube-bench"):
            return [pod(f"kb-{n}", node=f"node-{n}", container="kube-bench",
                        state=None if self._done() else {"running": {}}) for n in "ab"]
        return [pod(f"p-{job_name}", state=exited(0) if self._done() else {"waiting": {"reason": "ContainerCreating"}})]

    def pod_log(self, namespace, pod_name, container):
        return json.dumps(KUBE_BENCH_REPORT) if container == "kube-bench" else line("allowed")


class FakeTime:
    def __init__(self):
        self.now, self.slept = 0.0, []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_the_collector_waits_for_the_jobs_with_progress_lines(tmp_path):
    from hardened_eks.workload_tests.collect import Wait

    fake, lines = FakeTime(), []
    entry = proof_entry({"dns-cluster": ("allow", "script"), "kubelet-logs": ("allow", "script")})
    cluster = EvolvingCluster(fake.clock, finish_at=95, entry=entry)
    collect(cluster, "dev", {"bottlerocket/level-1": entry}, tmp_path, now=NOW,
            wait=Wait(poll_seconds=20, clock=fake.clock, sleep=fake.sleep, log=lines.append))
    assert 95 <= fake.now <= 120
    assert [t["status"] for t in read_result(tmp_path, "dev", "bottlerocket", 1, "workloads")["tests"]] == ["pass"] * 2
    assert read_result(tmp_path, "dev", "bottlerocket", 1, "kube-bench")["errors"] == []
    assert "waiting for 3 unfinished Job(s)" in lines[0] and "kube-bench" in lines[0]
    assert lines[-1] == "workloads: every test Job and kube-bench pod has finished"


def test_the_wait_is_bounded_by_the_jobs_deadlines(tmp_path):
    from hardened_eks.workload_tests.collect import WAIT_MARGIN_SECONDS, Wait

    fake, lines = FakeTime(), []
    entry = proof_entry({"dns-cluster": ("allow", "script")})
    cluster = EvolvingCluster(fake.clock, finish_at=10**9, entry=entry)  # never finishes
    collect(cluster, "dev", {"k": entry}, tmp_path, now=NOW,
            wait=Wait(poll_seconds=60, clock=fake.clock, sleep=fake.sleep, log=lines.append))
    assert fake.now == 900 + WAIT_MARGIN_SECONDS  # the Jobs' activeDeadlineSeconds, plus the margin
    assert "stopped waiting" in lines[-1]
    assert read_result(tmp_path, "dev", "bottlerocket", 1, "workloads")["tests"][0]["status"] == "pending"


def test_a_finished_job_whose_pods_are_gone_is_stale_never_pending(tmp_path):
    from hardened_eks.workload_tests.collect import Wait

    fake = FakeTime()
    entry = proof_entry({"dns-cluster": ("allow", "script")})
    cluster = EvolvingCluster(fake.clock, finish_at=0, entry=entry,
                              pod_gone={f"dns-cluster-{AMI}", f"kube-bench-{AMI}"})
    collect(cluster, "dev", {"k": entry}, tmp_path, now=NOW,
            wait=Wait(clock=fake.clock, sleep=fake.sleep, log=lambda _: None))
    assert fake.now == 0  # nothing to wait for
    test = read_result(tmp_path, "dev", "bottlerocket", 1, "workloads")["tests"][0]
    assert test["status"] == "error" and test["detail"].startswith("stale:") and "pods are gone" in test["detail"]
    bench = read_result(tmp_path, "dev", "bottlerocket", 1, "kube-bench")
    assert bench["errors"][0]["detail"].startswith("stale:")


def test_a_job_from_another_launch_template_version_is_stale(tmp_path):
    entry = {**proof_entry({"dns-cluster": ("allow", "script")}), "launchTemplateVersion": "5"}
    name = f"dns-cluster-{AMI}"
    reader = FakeReader({name: [pod("dns-b")]}, {"dns-b": line("allowed")},
                        jobs=[job(name, "Complete", lt_version=4), job(f"kube-bench-{AMI}", "Complete", lt_version=5)])
    collect(reader, "dev", {"k": entry}, tmp_path, now=NOW)
    test = read_result(tmp_path, "dev", "bottlerocket", 1, "workloads")["tests"][0]
    assert test["status"] == "error" and "launch template version 4" in test["detail"] and "version 5" in test["detail"]


def test_a_failed_job_without_a_result_is_an_error_not_pending(tmp_path):
    name = f"dns-cluster-{AMI}"
    reader = FakeReader({name: [pod("dns-a", state={"waiting": {"reason": "ContainerCreating"}})]}, {},
                        jobs=[job(name, "Failed"), job(f"kube-bench-{AMI}")])
    collect(reader, "dev", {"k": proof_entry({"dns-cluster": ("allow", "script")})}, tmp_path, now=NOW)
    test = read_result(tmp_path, "dev", "bottlerocket", 1, "workloads")["tests"][0]
    assert test["status"] == "error" and "DeadlineExceeded" in test["detail"]

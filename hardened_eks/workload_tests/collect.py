"""Turn what the proof's pods printed into `workloads` and `kube-bench` results.

Input: the `workloadProof` stack output (per node group: namespaces, Job names, AMI id) and read
access to the cluster. Output: one schema-valid `workloads.json` and `kube-bench.json` per node
group, written through `hardened_eks.results.write_result`. A test whose pod has not finished is
`pending`; a pod that printed no well-formed result line is `error`, never `pass`.

By default it first waits, with a progress line per round, until every test Job is Complete or Failed
(the pull-refusal test: until the kubelet's verdict is in) and every kube-bench pod has finished,
bounded by the Jobs' own activeDeadlineSeconds plus a margin; whatever is still running then is
written as `pending`. A Job that finished but whose pods are gone (their node was replaced), or that
ran on another launch template version than the node group has now, is reported stale (`error`),
never `pending` forever.

    python -m hardened_eks.workload_tests.collect --stack dev --proof proof.json [--kubeconfig PATH] [--no-wait]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from hardened_eks.results import DEFAULT_ROOT, write_result
from hardened_eks.workload_tests import RESULT_PREFIX
from hardened_eks.workload_tests.manifests import LAUNCH_TEMPLATE_VERSION_LABEL

_RESULT_LINE = re.compile(
    rf"^{re.escape(RESULT_PREFIX)} outcome=(?P<outcome>allowed|refused|inconclusive) node=(?P<node>\S+) "
    r"time=(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) detail=(?P<detail>.*)$")
_PULL_REFUSED = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull")
# What the kubelet reports when the registry answered that the tag does not exist: containerd's CRI
# returns gRPC NotFound ("rpc error: code = NotFound desc = failed to pull and unpack image ...:
# not found"); a registry's own error code is MANIFEST_UNKNOWN ("manifest unknown").
_NOT_FOUND = re.compile(r"code = NotFound|: not found\b|manifest unknown|MANIFEST_UNKNOWN", re.IGNORECASE)
# Answers that say nothing about whether the image exists: rate limits, timeouts, network and auth errors.
_NOT_AN_ANSWER = re.compile(
    r"toomanyrequests|too many requests|\b429\b|rate limit|rate exceeded|timeout|timed out|deadline exceeded|"
    r"dial tcp|connection (refused|reset)|no such host|i/o timeout|\bEOF\b|TLS handshake|server misbehaving|"
    r"network is unreachable|\b5\d\d\b|unauthorized|\b401\b|\b403\b|forbidden", re.IGNORECASE)
# The lines kubelet writes for a pull in back-off carry no cause; the pod's "Failed" events do.
_BACKOFF_ONLY = re.compile(r"^\s*Back-off pulling image \S+\s*$")
_sleep = time.sleep  # looked up per call, so a test can stand in for the wall clock
JOB_DEADLINE_DEFAULT_SECONDS = 900  # when no Job states its activeDeadlineSeconds
WAIT_MARGIN_SECONDS = 300  # scheduling and image pulls before a Job's deadline starts counting
KUBE_BENCH_STATUSES = ("PASS", "FAIL", "WARN", "INFO")


class CollectError(RuntimeError):
    """The cluster could not be read."""


class KubeBenchOutputError(ValueError):
    """kube-bench's output holds no usable JSON report."""


class KubeReader(Protocol):
    def jobs(self, namespace: str) -> list[dict[str, Any]]: ...

    def job_pods(self, namespace: str, job: str) -> list[dict[str, Any]]: ...

    def pod_log(self, namespace: str, pod: str, container: str) -> str: ...

    def pod_events(self, namespace: str, pod: str) -> list[dict[str, Any]]: ...


class KubectlReader:
    """Reads pods and logs with kubectl (the pipeline already has it and a kubeconfig)."""

    def __init__(self, kubeconfig: str | None = None, kubectl: str = "kubectl", timeout: int = 60):
        self.base = [kubectl, *(["--kubeconfig", kubeconfig] if kubeconfig else [])]
        self.timeout = timeout

    def _run(self, *args: str) -> str:
        try:
            done = subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=self.timeout,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise CollectError(f"kubectl {' '.join(args)}: {error}") from None
        if done.returncode != 0:
            raise CollectError(f"kubectl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def jobs(self, namespace: str) -> list[dict[str, Any]]:
        try:
            return json.loads(self._run("get", "jobs", "-n", namespace, "-o", "json"))["items"]
        except (json.JSONDecodeError, KeyError) as error:
            raise CollectError(f"kubectl get jobs -n {namespace}: unreadable answer ({error})") from None

    def pod_events(self, namespace: str, pod: str) -> list[dict[str, Any]]:
        text = self._run("get", "events", "-n", namespace, "--field-selector",
                         f"involvedObject.kind=Pod,involvedObject.name={pod}", "-o", "json")
        try:
            return json.loads(text)["items"]
        except (json.JSONDecodeError, KeyError) as error:
            raise CollectError(f"kubectl get events -n {namespace}: unreadable answer ({error})") from None

    def job_pods(self, namespace: str, job: str) -> list[dict[str, Any]]:
        try:
            return json.loads(self._run("get", "pods", "-n", namespace, "-l", f"job-name={job}", "-o", "json"))["items"]
        except (json.JSONDecodeError, KeyError) as error:
            raise CollectError(f"kubectl get pods -n {namespace}: unreadable answer ({error})") from None

    def pod_log(self, namespace: str, pod: str, container: str) -> str:
        return self._run("logs", "-n", namespace, pod, "-c", container)


@dataclass(frozen=True)
class ScriptResult:
    outcome: str  # allowed | refused | inconclusive
    node: str
    time: str
    detail: str


def parse_result_line(log: str) -> ScriptResult | None:
    """The last well-formed result line of a check's log, or None."""
    for line in reversed(log.splitlines()):
        match = _RESULT_LINE.match(line.strip())
        if match:
            return ScriptResult(**match.groupdict())
    return None


def judge(expect: str, outcome: str) -> str:
    if outcome == "inconclusive":
        return "error"
    return "pass" if (expect, outcome) in (("allow", "allowed"), ("deny", "refused")) else "fail"


def _latest(pods: list[dict[str, Any]]) -> dict[str, Any]:
    return max(pods, key=lambda p: (p.get("metadata", {}).get("creationTimestamp", ""), p["metadata"]["name"]))


def _container_state(pod: dict[str, Any], container: str) -> tuple[str, dict[str, Any]]:
    for status in pod.get("status", {}).get("containerStatuses") or []:
        if status.get("name") == container:
            state = status.get("state") or {}
            for kind in ("terminated", "running", "waiting"):
                if kind in state:
                    return kind, {**state[kind], "imageID": status.get("imageID", "")}
    return "waiting", {"reason": pod.get("status", {}).get("phase", "Pending")}


def job_state(job: Mapping[str, Any]) -> tuple[str, str]:
    """("complete" | "failed" | "active", why) from the Job's terminal condition, as the Job controller sets it."""
    for condition in (job.get("status") or {}).get("conditions") or []:
        if condition.get("status") == "True" and condition.get("type") in ("Complete", "Failed"):
            why = ": ".join(x for x in (condition.get("reason"), condition.get("message")) if x)
            return condition["type"].lower(), why
    return "active", ""


def stale_reason(job: Mapping[str, Any], entry: Mapping[str, Any]) -> str | None:
    """Why a Job's result no longer describes the node group (another launch template version), or None."""
    expected = entry.get("launchTemplateVersion")
    ran_on = ((job.get("metadata") or {}).get("labels") or {}).get(LAUNCH_TEMPLATE_VERSION_LABEL)
    if expected is not None and ran_on != str(expected):
        return (f"stale: Job {job['metadata']['name']} ran on launch template version {ran_on or 'unknown'}, the node "
                f"group runs version {expected} now; `pipeline up` replaces the Job")
    return None


def classify_pull_error(message: str) -> str:
    """"not-found" only when the registry said the image does not exist; "no-answer" for rate limits,
    timeouts, network and auth errors (they prove nothing about the image); else "unknown"."""
    if _NOT_AN_ANSWER.search(message):
        return "no-answer"
    return "not-found" if _NOT_FOUND.search(message) else "unknown"


def _pull_cause(details: Mapping[str, Any], reader: KubeReader, namespace: str, pod_name: str) -> str:
    """The pull error's own words: the waiting message, or for a back-off the newest pull failure event."""
    message = str(details.get("message") or "")
    if message and not _BACKOFF_ONLY.match(message):
        return message
    events = [e for e in reader.pod_events(namespace, pod_name)
              if e.get("reason") in ("Failed", "ErrImagePull") and "pull" in str(e.get("message", "")).lower()]
    if not events:
        return message
    newest = max(events, key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""))
    return str(newest.get("message", ""))


def _why(state: str, why: str) -> str:
    return f"{state} ({why})" if why else state


def test_result(name: str, info: Mapping[str, str], entry: Mapping[str, Any], jobs: Mapping[str, dict[str, Any]],
                reader: KubeReader, now: str, final: bool = True) -> dict[str, Any]:
    """One test's entry of a workloads result, from its Job and the Job's newest pod.

    `final`: the last look (after waiting). Before it, an answer that may still change (a pull that
    failed without a not-found answer) is `pending`; at it, such a test is `error`.
    """
    namespace, ami_id = entry["namespace"], entry["amiId"]
    result: dict[str, Any] = {"name": name, "expect": info["expect"], "amiId": ami_id, "job": info["job"]}
    job = jobs.get(info["job"])
    if job is None:
        return {**result, "status": "error", "finishedAt": now,
                "detail": f"Job {info['job']} does not exist in {namespace} (deleted outside Pulumi?): run "
                          "`pulumi refresh` and `pipeline up` to re-create it"}
    stale = stale_reason(job, entry)
    if stale:
        return {**result, "status": "error", "finishedAt": now, "detail": stale}
    state, why = job_state(job)
    pods = reader.job_pods(namespace, info["job"])
    if not pods:
        if state == "active":
            return {**result, "status": "pending", "detail": f"Job {info['job']} has no pods yet"}
        return {**result, "status": "error", "finishedAt": now,
                "detail": f"stale: Job {info['job']} is {_why(state, why)} but its pods are gone (their node was "
                          "replaced or they were deleted), so there is no result to read; a launch template or AMI "
                          "change re-creates the Jobs on `pipeline up`"}
    pod = _latest(pods)
    pod_name, node = pod["metadata"]["name"], pod.get("spec", {}).get("nodeName") or ""
    attempts = f" (attempt {len(pods)})" if len(pods) > 1 else ""
    result |= {"node": node, "pod": pod_name}
    container, details = _container_state(pod, "check")
    pull_failed = container == "waiting" and details.get("reason") in _PULL_REFUSED

    if info.get("outcome") == "pod-status":
        if pull_failed:
            cause = _pull_cause(details, reader, namespace, pod_name).strip()
            kind = classify_pull_error(cause)
            if kind != "not-found":
                what = "a rate limit, timeout or network error" if kind == "no-answer" else "an unrecognised answer"
                detail = (f"pod {pod_name}: {details['reason']} without a not-found answer from the registry "
                          f"({what}), which proves nothing: {cause or '(no message)'}")
                if not final:
                    return {**result, "status": "pending", "detail": detail}
                return {**result, "status": "error", "finishedAt": now, "detail": detail}
            outcome, detail = "refused", f"the registry has no such image: {details['reason']}: {cause}"
        elif container in ("running", "terminated"):
            outcome, detail = "allowed", f"the container started from {details.get('imageID') or 'its image'}"
        else:
            return {**result, "status": "pending", "detail": f"pod {pod_name}: {details.get('reason', container)}"}
        return {**result, "status": judge(info["expect"], outcome), "finishedAt": now,
                "detail": f"{detail.strip()}{attempts}"}

    if container != "terminated":
        waiting_on = f"pod {pod_name} is {details.get('reason', container)}"
        if details.get("message"):
            waiting_on += f": {details['message']}"
        if state == "active":
            return {**result, "status": "pending", "detail": waiting_on}
        return {**result, "status": "error", "finishedAt": now,
                "detail": f"Job {info['job']} {_why(state, why)} before its check finished; {waiting_on}"}
    log = reader.pod_log(namespace, pod_name, "check")
    parsed = parse_result_line(log)
    finished = details.get("finishedAt") or now
    if parsed is None:
        tail = log.strip()[-200:] or "(empty log)"
        return {**result, "status": "error", "finishedAt": finished,
                "detail": f"no result line in the log of {pod_name} (malformed output): {tail}"}
    status = judge(info["expect"], parsed.outcome)
    exit_code = details.get("exitCode")
    if (status == "pass") != (exit_code == 0):
        return {**result, "status": "error", "finishedAt": finished,
                "detail": f"result line says {parsed.outcome} but the container exited {exit_code}: {parsed.detail}"}
    if node and parsed.node not in (node, "unknown"):
        return {**result, "status": "error", "finishedAt": finished,
                "detail": f"result line names node {parsed.node}, the pod ran on {node}"}
    return {**result, "status": status, "finishedAt": finished,
            "detail": f"{parsed.outcome}: {parsed.detail}{attempts}"}


def _jobs_by_name(reader: KubeReader, namespace: str) -> dict[str, dict[str, Any]]:
    return {job["metadata"]["name"]: job for job in reader.jobs(namespace)}


def workloads_document(stack: str, entry: Mapping[str, Any], reader: KubeReader, now: str,
                       final: bool = True) -> dict[str, Any]:
    tests = []
    try:
        jobs: dict[str, dict[str, Any]] | None = _jobs_by_name(reader, entry["namespace"])
        failure = ""
    except CollectError as error:
        jobs, failure = None, str(error)
    for name, info in sorted(entry["tests"].items()):
        try:
            if jobs is None:
                raise CollectError(failure)
            tests.append(test_result(name, info, entry, jobs, reader, now, final))
        except CollectError as error:
            tests.append({"name": name, "expect": info["expect"], "status": "error", "amiId": entry["amiId"],
                          "job": info["job"], "finishedAt": now, "detail": str(error)})
    return {"schemaVersion": 1, "kind": "workloads", "stack": stack, "pattern": entry["pattern"],
            "level": entry["level"], "amiId": entry["amiId"], "namespace": entry["namespace"],
            "collectedAt": now, "tests": tests}


# -- kube-bench ----------------------------------------------------------------------------------

def _kube_bench_controls(output: str) -> list[dict[str, Any]]:
    candidates = [line.strip() for line in output.splitlines() if line.strip().startswith(("{", "["))]
    for opening, closing in ("{}", "[]"):  # a pretty-printed report spans lines
        start, end = output.find(opening), output.rfind(closing)
        if 0 <= start < end:
            candidates.append(output[start:end + 1])
    for text in candidates:
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            continue
        # kube-bench wraps the controls in {"Controls": [...], "Totals": {...}}; old releases print the list.
        controls = document.get("Controls") if isinstance(document, dict) else document
        if isinstance(controls, list) and controls and all(isinstance(c, dict) and "tests" in c for c in controls):
            return controls
    raise KubeBenchOutputError("no kube-bench JSON report in the output")


def parse_kube_bench(output: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Checks and their summary from one kube-bench --json run (its log may carry stderr lines too)."""
    checks = []
    for control in _kube_bench_controls(output):
        for group in control.get("tests") or []:
            for result in group.get("results") or []:
                status = result.get("status")
                if status not in KUBE_BENCH_STATUSES or "test_number" not in result:
                    raise KubeBenchOutputError(f"check {result.get('test_number', '?')}: status {status!r}; "
                                               f"expected one of {', '.join(KUBE_BENCH_STATUSES)}")
                check = {"id": str(result["test_number"]), "title": str(result.get("test_desc", "")),
                         "status": status, "scored": bool(result.get("scored", False))}
                for source, target in (("actual_value", "actual"), ("remediation", "remediation")):
                    if result.get(source):
                        check[target] = str(result[source])
                checks.append(check)
    if not checks:
        raise KubeBenchOutputError("the kube-bench report has no checks (wrong --benchmark or --targets?)")
    summary = {key: sum(c["status"] == key.upper() for c in checks) for key in ("pass", "fail", "warn", "info")}
    return checks, summary


def kube_bench_document(stack: str, entry: Mapping[str, Any], reader: KubeReader, now: str) -> dict[str, Any]:
    bench = entry["kubeBench"]
    document: dict[str, Any] = {
        "schemaVersion": 1, "kind": "kube-bench", "stack": stack, "pattern": entry["pattern"],
        "level": entry["level"], "amiId": entry["amiId"], "benchmark": bench["benchmark"], "job": bench["job"],
        "kubeletConfig": bench.get("kubeletConfig", "unknown"), "collectedAt": now, "nodes": [], "errors": []}
    try:
        job = _jobs_by_name(reader, entry["hostNamespace"]).get(bench["job"])
        pods = reader.job_pods(entry["hostNamespace"], bench["job"]) if job is not None else []
    except CollectError as error:
        document["errors"].append({"detail": str(error)})
        return document
    if job is None:
        document["errors"].append({"detail": f"Job {bench['job']} does not exist in {entry['hostNamespace']} (deleted "
                                             "outside Pulumi?): run `pulumi refresh` and `pipeline up` to re-create it"})
        return document
    stale = stale_reason(job, entry)
    if stale:
        document["errors"].append({"detail": stale})
        return document
    state, why = job_state(job)
    newest_per_node: dict[str, dict[str, Any]] = {}
    for pod in sorted(pods, key=lambda p: p.get("metadata", {}).get("creationTimestamp", "")):
        newest_per_node[pod.get("spec", {}).get("nodeName") or pod["metadata"]["name"]] = pod
    for node, pod in sorted(newest_per_node.items()):
        pod_name = pod["metadata"]["name"]
        container, details = _container_state(pod, "kube-bench")
        if container != "terminated":
            document["errors"].append({"pod": pod_name, "node": node,
                                       "detail": f"not finished: {details.get('reason', container)}"})
            continue
        try:
            checks, summary = parse_kube_bench(reader.pod_log(entry["hostNamespace"], pod_name, "kube-bench"))
        except (KubeBenchOutputError, CollectError) as error:
            document["errors"].append({"pod": pod_name, "node": node, "detail": str(error)})
            continue
        document["nodes"].append({"node": node, "pod": pod_name, "amiId": entry["amiId"],
                                  "collectedAt": details.get("finishedAt") or now, "checks": checks, "summary": summary})
    missing = bench.get("nodes", 1) - len(newest_per_node)
    if missing > 0:
        if state == "active":
            detail = f"{missing} of {bench.get('nodes', 1)} nodes have no kube-bench pod yet"
        else:
            detail = (f"stale: Job {bench['job']} is {_why(state, why)} and {missing} of {bench.get('nodes', 1)} "
                      "nodes have no kube-bench pod left (their node was replaced or the pods were deleted)")
        document["errors"].append({"detail": detail})
    return document


# -- waiting --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Wait:
    """How the collector waits for the proof to finish; tests inject a fake clock and sleep."""

    timeout_seconds: float | None = None  # None: the longest Job deadline plus WAIT_MARGIN_SECONDS
    poll_seconds: float = 20.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = field(default=lambda seconds: _sleep(seconds))
    log: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr))


def unfinished(reader: KubeReader, proof: Mapping[str, Mapping[str, Any]], now: str) -> tuple[list[str], int]:
    """What is still running ("<node group>: <test>" names) and the longest Job deadline seen, in seconds.

    A test Job is finished when it is Complete or Failed (or gone, or stale: nothing left to wait for);
    the pull-refusal test when the kubelet's verdict is in; kube-bench when its Job is Complete or Failed
    and none of its pods is still running.
    """
    waiting: list[str] = []
    deadline = 0
    for key, entry in sorted(proof.items()):
        try:
            jobs = _jobs_by_name(reader, entry["namespace"])
            bench_jobs = _jobs_by_name(reader, entry["hostNamespace"])
        except CollectError:
            continue  # unreadable: nothing to wait for; the final pass reports the error
        for name, info in sorted(entry["tests"].items()):
            job = jobs.get(info["job"])
            if job is None or stale_reason(job, entry):
                continue
            deadline = max(deadline, int((job.get("spec") or {}).get("activeDeadlineSeconds") or 0))
            if info.get("outcome") == "pod-status":
                try:
                    pending = test_result(name, info, entry, jobs, reader, now, final=False)["status"] == "pending"
                except CollectError:
                    pending = False
                if pending:
                    waiting.append(f"{key}: {name}")
            elif job_state(job)[0] == "active":
                waiting.append(f"{key}: {name}")
        bench = bench_jobs.get(entry["kubeBench"]["job"])
        if bench is None or stale_reason(bench, entry):
            continue
        deadline = max(deadline, int((bench.get("spec") or {}).get("activeDeadlineSeconds") or 0))
        try:
            pods = reader.job_pods(entry["hostNamespace"], entry["kubeBench"]["job"])
        except CollectError:
            continue
        running = [p for p in pods if _container_state(p, "kube-bench")[0] != "terminated"]
        if job_state(bench)[0] == "active" or running:
            waiting.append(f"{key}: kube-bench")
    return waiting, deadline


def wait_for_proof(reader: KubeReader, proof: Mapping[str, Mapping[str, Any]], wait: Wait) -> bool:
    """Poll until nothing is unfinished (True) or the bound is reached (False), logging each round."""
    start = wait.clock()
    bound: float | None = wait.timeout_seconds
    while True:
        waiting, deadline = unfinished(reader, proof, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        if bound is None:
            bound = (deadline or JOB_DEADLINE_DEFAULT_SECONDS) + WAIT_MARGIN_SECONDS
        if not waiting:
            wait.log("workloads: every test Job and kube-bench pod has finished")
            return True
        elapsed = wait.clock() - start
        if elapsed >= bound:
            wait.log(f"workloads: stopped waiting after {round(elapsed)} s (the Jobs' deadlines plus "
                     f"{WAIT_MARGIN_SECONDS} s); still running, reported as pending: {', '.join(waiting)}")
            return False
        shown = ", ".join(waiting[:4]) + (f" and {len(waiting) - 4} more" if len(waiting) > 4 else "")
        wait.log(f"workloads: waiting for {len(waiting)} unfinished Job(s): {shown} "
                 f"(up to {round(bound - elapsed)} s more)")
        wait.sleep(max(0.0, min(wait.poll_seconds, bound - elapsed)))


# -- entry points --------------------------------------------------------------------------------

def collect(reader: KubeReader, stack: str, proof: Mapping[str, Mapping[str, Any]], root: Path | str = DEFAULT_ROOT,
            now: str | None = None, wait: Wait | None = None) -> list[Path]:
    """Write workloads and kube-bench results of every node group in `proof`; return the paths.

    With `wait`, first wait until the proof has run (see `wait_for_proof`); without it, one look."""
    if wait is not None:
        wait_for_proof(reader, proof, wait)
    now = now or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    written = []
    for entry in proof.values():
        written.append(write_result(root, stack, entry["pattern"], entry["level"], "workloads",
                                    workloads_document(stack, entry, reader, now)))
        written.append(write_result(root, stack, entry["pattern"], entry["level"], "kube-bench",
                                    kube_bench_document(stack, entry, reader, now)))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardened_eks.workload_tests.collect", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--proof", required=True, help="the workloadProof stack output as JSON (file, or - for stdin)")
    parser.add_argument("--kubeconfig", help="kubeconfig of the cluster (default: kubectl's own)")
    parser.add_argument("--results", default=str(DEFAULT_ROOT), help="results directory (default: results)")
    parser.add_argument("--no-wait", action="store_true", help="collect at once instead of waiting for the Jobs")
    args = parser.parse_args(argv)
    try:
        text = sys.stdin.read() if args.proof == "-" else Path(args.proof).read_text()
        proof = json.loads(text)
    except (OSError, json.JSONDecodeError) as error:
        print(f"collect: cannot read --proof {args.proof}: {error}", file=sys.stderr)
        return 2
    wait = None if args.no_wait else Wait()
    for path in collect(KubectlReader(args.kubeconfig), args.stack, proof, args.results, wait=wait):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

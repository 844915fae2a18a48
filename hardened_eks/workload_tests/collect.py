"""Turn what the proof's pods printed into `workloads` and `kube-bench` results.

Input: the `workloadProof` stack output (per node group: namespaces, Job names, AMI id) and read
access to the cluster. Output: one schema-valid `workloads.json` and `kube-bench.json` per node
group, written through `hardened_eks.results.write_result`. A test whose pod has not finished is
`pending`; a pod that printed no well-formed result line is `error`, never `pass`.

    python -m hardened_eks.workload_tests.collect --stack dev --proof proof.json [--kubeconfig PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from hardened_eks.results import DEFAULT_ROOT, write_result
from hardened_eks.workload_tests import RESULT_PREFIX

_RESULT_LINE = re.compile(
    rf"^{re.escape(RESULT_PREFIX)} outcome=(?P<outcome>allowed|refused|inconclusive) node=(?P<node>\S+) "
    r"time=(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) detail=(?P<detail>.*)$")
_PULL_REFUSED = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull")
KUBE_BENCH_STATUSES = ("PASS", "FAIL", "WARN", "INFO")


class CollectError(RuntimeError):
    """The cluster could not be read."""


class KubeBenchOutputError(ValueError):
    """kube-bench's output holds no usable JSON report."""


class KubeReader(Protocol):
    def job_pods(self, namespace: str, job: str) -> list[dict[str, Any]]: ...

    def pod_log(self, namespace: str, pod: str, container: str) -> str: ...


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


def test_result(name: str, info: Mapping[str, str], namespace: str, ami_id: str, reader: KubeReader,
                now: str) -> dict[str, Any]:
    """One test's entry of a workloads result, from its Job's newest pod."""
    entry: dict[str, Any] = {"name": name, "expect": info["expect"], "amiId": ami_id, "job": info["job"]}
    pods = reader.job_pods(namespace, info["job"])
    if not pods:
        return {**entry, "status": "pending", "detail": f"Job {info['job']} has no pods yet"}
    pod = _latest(pods)
    pod_name, node = pod["metadata"]["name"], pod.get("spec", {}).get("nodeName") or ""
    attempts = f" (attempt {len(pods)})" if len(pods) > 1 else ""
    entry |= {"node": node, "pod": pod_name}
    state, details = _container_state(pod, "check")
    pull_refused = state == "waiting" and details.get("reason") in _PULL_REFUSED

    if info.get("outcome") == "pod-status":
        if pull_refused:
            outcome, detail = "refused", f"kubelet refused the image: {details['reason']}: {details.get('message', '')}"
        elif state in ("running", "terminated"):
            outcome, detail = "allowed", f"the container started from {details.get('imageID') or 'its image'}"
        else:
            return {**entry, "status": "pending", "detail": f"pod {pod_name}: {details.get('reason', state)}"}
        return {**entry, "status": judge(info["expect"], outcome), "finishedAt": now,
                "detail": f"{detail.strip()}{attempts}"}

    if pull_refused:
        return {**entry, "status": "error", "finishedAt": now,
                "detail": f"pod {pod_name} could not pull its image: {details['reason']}: {details.get('message', '')}"}
    if state != "terminated":
        return {**entry, "status": "pending", "detail": f"pod {pod_name} is {details.get('reason', state)}"}
    log = reader.pod_log(namespace, pod_name, "check")
    result = parse_result_line(log)
    finished = details.get("finishedAt") or now
    if result is None:
        tail = log.strip()[-200:] or "(empty log)"
        return {**entry, "status": "error", "finishedAt": finished,
                "detail": f"no result line in the log of {pod_name} (malformed output): {tail}"}
    status = judge(info["expect"], result.outcome)
    exit_code = details.get("exitCode")
    if (status == "pass") != (exit_code == 0):
        return {**entry, "status": "error", "finishedAt": finished,
                "detail": f"result line says {result.outcome} but the container exited {exit_code}: {result.detail}"}
    if node and result.node not in (node, "unknown"):
        return {**entry, "status": "error", "finishedAt": finished,
                "detail": f"result line names node {result.node}, the pod ran on {node}"}
    return {**entry, "status": status, "finishedAt": finished,
            "detail": f"{result.outcome}: {result.detail}{attempts}"}


def workloads_document(stack: str, entry: Mapping[str, Any], reader: KubeReader, now: str) -> dict[str, Any]:
    tests = []
    for name, info in sorted(entry["tests"].items()):
        try:
            tests.append(test_result(name, info, entry["namespace"], entry["amiId"], reader, now))
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
        pods = reader.job_pods(entry["hostNamespace"], bench["job"])
    except CollectError as error:
        document["errors"].append({"detail": str(error)})
        return document
    newest_per_node: dict[str, dict[str, Any]] = {}
    for pod in sorted(pods, key=lambda p: p.get("metadata", {}).get("creationTimestamp", "")):
        newest_per_node[pod.get("spec", {}).get("nodeName") or pod["metadata"]["name"]] = pod
    for node, pod in sorted(newest_per_node.items()):
        pod_name = pod["metadata"]["name"]
        state, details = _container_state(pod, "kube-bench")
        if state != "terminated":
            document["errors"].append({"pod": pod_name, "node": node, "detail": f"not finished: {details.get('reason', state)}"})
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
        document["errors"].append({"detail": f"{missing} of {bench.get('nodes', 1)} nodes have no kube-bench pod yet"})
    return document


# -- entry points --------------------------------------------------------------------------------

def collect(reader: KubeReader, stack: str, proof: Mapping[str, Mapping[str, Any]], root: Path | str = DEFAULT_ROOT,
            now: str | None = None) -> list[Path]:
    """Write workloads and kube-bench results of every node group in `proof`; return the paths."""
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
    args = parser.parse_args(argv)
    try:
        text = sys.stdin.read() if args.proof == "-" else Path(args.proof).read_text()
        proof = json.loads(text)
    except (OSError, json.JSONDecodeError) as error:
        print(f"collect: cannot read --proof {args.proof}: {error}", file=sys.stderr)
        return 2
    for path in collect(KubectlReader(args.kubeconfig), args.stack, proof, args.results):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

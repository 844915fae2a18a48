"""Turn what the node audit pods printed into one `node-audit` result per node group.

Input: the `nodeAudit` stack output (per node group: namespace, DaemonSet, profile digest, node count),
read access to the cluster (kubectl) and EC2 (the AMI each node was launched from). Output:
`results/<stack>/<pattern>/level-<n>/node-audit.json`, schema-valid, one entry per node: node name,
instance id, AMI id, when its latest audit ran, and that audit's controls.

Like the workload collector it first waits, with a progress line per round, until every node of every
node group has a pod that printed an audit (bounded); a node still without one is listed in `errors`.

    python -m hardened_eks.node_audit.collect --stack dev --outputs nodeAudit.json [--kubeconfig PATH] [--no-wait]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from hardened_eks.node_audit import DAEMON_SET, RESULT_PREFIX
from hardened_eks.results import DEFAULT_ROOT, write_result
from hardened_eks.workload_tests.collect import CollectError, KubectlReader, Wait

_LINE = re.compile(rf"^{re.escape(RESULT_PREFIX)} node=(?P<node>\S+) started=(?P<started>\S+) "
                   r"finished=(?P<finished>\S+) exit=(?P<exit>\d+) (?P<what>document|error)=(?P<body>.*)$")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_INSTANCE = re.compile(r"/(i-[0-9a-f]{8,17})$")
WAIT_SECONDS = 900  # image pull and one audit (seconds) per node, with room for a slow node to be scheduled
STATUSES = ("pass", "fail", "manual", "excepted", "excluded", "not-applicable", "deferred")


class NodeAuditReader(Protocol):
    def daemon_set(self, namespace: str, name: str) -> dict[str, Any] | None: ...

    def pods(self, namespace: str, selector: str) -> list[dict[str, Any]]: ...

    def pod_log(self, namespace: str, pod: str, container: str) -> str: ...

    def node(self, name: str) -> dict[str, Any]: ...


class KubectlNodeAuditReader(KubectlReader):
    def _json(self, *args: str) -> Any:
        try:
            return json.loads(self._run(*args))
        except json.JSONDecodeError as error:
            raise CollectError(f"kubectl {' '.join(args)}: unreadable answer ({error})") from None

    def daemon_set(self, namespace: str, name: str) -> dict[str, Any] | None:
        found = self._json("get", "daemonsets", "-n", namespace, "--field-selector", f"metadata.name={name}",
                           "-o", "json").get("items") or []
        return found[0] if found else None

    def pods(self, namespace: str, selector: str) -> list[dict[str, Any]]:
        return self._json("get", "pods", "-n", namespace, "-l", selector, "-o", "json").get("items") or []

    def node(self, name: str) -> dict[str, Any]:
        return self._json("get", "node", name, "-o", "json")


def ec2_ami_lookup(ec2: Any) -> Callable[[Iterable[str]], dict[str, str]]:
    """instance ids -> the AMI each was launched from (EC2 DescribeInstances, paginated)."""
    def lookup(instance_ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(set(instance_ids))
        if not ids:
            return {}
        found: dict[str, str] = {}
        for page in ec2.get_paginator("describe_instances").paginate(InstanceIds=ids):
            for reservation in page.get("Reservations", []):
                for instance in reservation.get("Instances", []):
                    found[instance["InstanceId"]] = instance["ImageId"]
        return found
    return lookup


def parse_result(log: str) -> dict[str, Any] | None:
    """The last result line of a pod's log, or None. A document that is not JSON is returned as an error."""
    for line in reversed(log.splitlines()):
        match = _LINE.match(line.rstrip("\r"))
        if not match:
            continue
        result: dict[str, Any] = {k: match.group(k) for k in ("node", "started", "finished")}
        result["exit"] = int(match.group("exit"))
        if match.group("what") == "error":
            return {**result, "error": match.group("body").strip() or "no reason given"}
        try:
            result["document"] = json.loads(match.group("body"))
        except json.JSONDecodeError as error:
            return {**result, "error": f"the audit document is not JSON ({error})"}
        return result
    return None


def audit_problem(document: Any, entry: Mapping[str, Any]) -> str | None:
    """Why an audit document cannot stand for the node group's audit, or None."""
    if not isinstance(document, dict) or document.get("kind") != "audit":
        return "not an audit document"
    for name, want in (("benchmark", entry["benchmark"]), ("level", entry["level"]),
                       ("profileDigest", entry["profileDigest"])):
        if document.get(name) != want:
            return (f"the audit ran with {name} {document.get(name)!r}, the node audit ships {want!r} "
                    "(an old pod still running?)")
    controls = document.get("controls")
    if not isinstance(controls, list) or not controls:
        return "the audit has no controls"
    for control in controls:
        if not isinstance(control, dict) or control.get("status") not in STATUSES or not isinstance(control.get("id"), str):
            return f"the audit has a malformed control: {str(control)[:120]}"
    return None


def _instance_id(node: Mapping[str, Any]) -> str | None:
    match = _INSTANCE.search(str((node.get("spec") or {}).get("providerID") or ""))
    return match.group(1) if match else None


def _newest_per_node(pods: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    newest: dict[str, dict[str, Any]] = {}
    for pod in sorted(pods, key=lambda p: (p.get("metadata", {}).get("creationTimestamp", ""), p["metadata"]["name"])):
        node = (pod.get("spec") or {}).get("nodeName")
        if node:
            newest[node] = pod
    return newest


def _pods(reader: NodeAuditReader, entry: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return _newest_per_node(reader.pods(entry["namespace"], f"app.kubernetes.io/name={entry.get('daemonSet', DAEMON_SET)}"))


def node_audit_document(stack: str, entry: Mapping[str, Any], reader: NodeAuditReader,
                        ami_lookup: Callable[[Iterable[str]], dict[str, str]], now: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schemaVersion": 1, "kind": "node-audit", "stack": stack, "pattern": entry["pattern"], "level": entry["level"],
        "amiId": entry["amiId"], "benchmark": entry["benchmark"], "profileDigest": entry["profileDigest"],
        "namespace": entry["namespace"], "daemonSet": entry.get("daemonSet", DAEMON_SET), "collectedAt": now,
        "nodes": [], "errors": []}
    errors = document["errors"]
    container = entry.get("container", "audit")
    try:
        if reader.daemon_set(entry["namespace"], document["daemonSet"]) is None:
            errors.append({"detail": f"DaemonSet {document['daemonSet']} does not exist in {entry['namespace']} "
                                     "(hardened-eks:nodeAudit false, or deleted outside Pulumi: run `pipeline up`)"})
            return document
        pods = _pods(reader, entry)
    except CollectError as error:
        errors.append({"detail": str(error)})
        return document
    found: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
    for node_name, pod in sorted(pods.items()):
        pod_name = pod["metadata"]["name"]
        try:
            parsed = parse_result(reader.pod_log(entry["namespace"], pod_name, container))
            node = reader.node(node_name)
        except CollectError as error:
            errors.append({"node": node_name, "pod": pod_name, "detail": str(error)})
            continue
        if parsed is None:
            phase = (pod.get("status") or {}).get("phase", "unknown")
            errors.append({"node": node_name, "pod": pod_name,
                           "detail": f"no audit printed yet (pod {phase})"})
            continue
        if "error" in parsed:
            errors.append({"node": node_name, "pod": pod_name,
                           "detail": f"the audit failed (exit {parsed['exit']}): {parsed['error']}"})
            continue
        problem = audit_problem(parsed["document"], entry)
        if problem is None and parsed["node"] not in (node_name, "unknown"):
            problem = f"the result line names node {parsed['node']}, the pod runs on {node_name}"
        if problem is None and not (_TIME.match(parsed["started"]) and _TIME.match(parsed["finished"])):
            problem = f"unreadable times {parsed['started']!r} / {parsed['finished']!r}"
        instance = _instance_id(node)
        if problem is None and instance is None:
            problem = f"node {node_name} has no EC2 providerID ({(node.get('spec') or {}).get('providerID')!r})"
        if problem:
            errors.append({"node": node_name, "pod": pod_name, "detail": problem})
            continue
        found.append((node_name, instance, pod, parsed))  # type: ignore[arg-type]
    try:
        amis = ami_lookup(instance for _, instance, _, _ in found)
    except Exception as error:  # botocore's ClientError / NoCredentialsError: name it, keep the rest
        amis = {}
        errors.append({"detail": f"cannot look up the nodes' AMIs (ec2:DescribeInstances): {error}"})
    for node_name, instance, pod, parsed in found:
        if instance not in amis:
            errors.append({"node": node_name, "pod": pod["metadata"]["name"],
                           "detail": f"instance {instance} not found by ec2:DescribeInstances"})
            continue
        audit = parsed["document"]
        controls = []
        for control in audit["controls"]:
            item = {"id": control["id"], "title": str(control.get("title", "")), "status": control["status"]}
            if control.get("detail"):
                item["detail"] = str(control["detail"])
            controls.append(item)
        document["nodes"].append({
            "node": node_name, "instanceId": instance, "amiId": amis[instance], "pod": pod["metadata"]["name"],
            "startedAt": parsed["started"], "auditedAt": parsed["finished"], "exitCode": parsed["exit"],
            "benchmark": audit["benchmark"], "level": audit["level"], "profileDigest": audit["profileDigest"],
            "controls": controls, "summary": {s: sum(c["status"] == s for c in controls) for s in STATUSES}})
    return document


def waiting_for(reader: NodeAuditReader, node_audits: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """"<node group>: <node or 'n of m nodes'>" still without a printed audit."""
    waiting: list[str] = []
    for key, entry in sorted(node_audits.items()):
        try:
            pods = _pods(reader, entry)
            for node_name, pod in sorted(pods.items()):
                log = reader.pod_log(entry["namespace"], pod["metadata"]["name"], entry.get("container", "audit")) \
                    if (pod.get("status") or {}).get("phase") in ("Running", "Succeeded", "Failed") else ""
                if parse_result(log) is None:
                    waiting.append(f"{key}: {node_name}")
        except CollectError:
            continue  # the final pass reports it
        missing = int(entry.get("nodes", 1)) - len(pods)
        if missing > 0:
            waiting.append(f"{key}: {missing} node(s) without a node audit pod")
    return waiting


def wait_for_audits(reader: NodeAuditReader, node_audits: Mapping[str, Mapping[str, Any]], wait: Wait) -> bool:
    start = wait.clock()
    bound = wait.timeout_seconds if wait.timeout_seconds is not None else WAIT_SECONDS
    while True:
        waiting = waiting_for(reader, node_audits)
        if not waiting:
            wait.log("node audit: every node has printed an audit")
            return True
        elapsed = wait.clock() - start
        if elapsed >= bound:
            wait.log(f"node audit: stopped waiting after {round(elapsed)} s; without an audit, reported as errors: "
                     f"{', '.join(waiting)}")
            return False
        shown = ", ".join(waiting[:4]) + (f" and {len(waiting) - 4} more" if len(waiting) > 4 else "")
        wait.log(f"node audit: waiting for {len(waiting)} node(s): {shown} (up to {round(bound - elapsed)} s more)")
        wait.sleep(max(0.0, min(wait.poll_seconds, bound - elapsed)))


def collect(reader: NodeAuditReader, stack: str, node_audits: Mapping[str, Mapping[str, Any]],
            ami_lookup: Callable[[Iterable[str]], dict[str, str]], root: Path | str = DEFAULT_ROOT,
            now: str | None = None, wait: Wait | None = None) -> list[Path]:
    """Write the node-audit result of every node group in `node_audits` (the `nodeAudit` stack output)."""
    if wait is not None:
        wait_for_audits(reader, node_audits, wait)
    now = now or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [write_result(root, stack, entry["pattern"], entry["level"], "node-audit",
                         node_audit_document(stack, entry, reader, ami_lookup, now))
            for _, entry in sorted(node_audits.items())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardened_eks.node_audit.collect", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--outputs", required=True, help="the nodeAudit stack output as JSON (file, or - for stdin)")
    parser.add_argument("--region", required=True, help="AWS region of the stack (EC2 lookups of the nodes' AMIs)")
    parser.add_argument("--kubeconfig", help="kubeconfig of the cluster (default: kubectl's own)")
    parser.add_argument("--results", default=str(DEFAULT_ROOT), help="results directory (default: results)")
    parser.add_argument("--no-wait", action="store_true", help="collect at once instead of waiting for the audits")
    args = parser.parse_args(argv)
    try:
        text = sys.stdin.read() if args.outputs == "-" else Path(args.outputs).read_text()
        node_audits = json.loads(text)
    except (OSError, json.JSONDecodeError) as error:
        print(f"node audit: cannot read --outputs {args.outputs}: {error}", file=sys.stderr)
        return 2
    import boto3

    lookup = ec2_ami_lookup(boto3.Session(region_name=args.region).client("ec2"))
    for path in collect(KubectlNodeAuditReader(args.kubeconfig), args.stack, node_audits, lookup, args.results,
                        wait=None if args.no_wait else Wait()):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

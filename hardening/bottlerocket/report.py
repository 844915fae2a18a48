"""Bottlerocket's own CIS reports: collect `apiclient report cis|cis-k8s` from nodes, normalise to schemas/bottlerocket.

Amazon Inspector's CIS scans do not cover Bottlerocket, so the node reports itself. The control container (the
SSM agent's home on Bottlerocket, with `apiclient` and the API socket) runs the reports on request through an SSM
`send_command`; bloodhound's JSON output (`-f json`) is parsed here:

    {"level": 2, "total": 28, "passed": 23, "skipped": 4, "failed": 1, "status": "FAIL",
     "timestamp": "...", "name": "CIS Bottlerocket Benchmark", "version": "v1.0.0", "url": "...",
     "results": {"br03040101": {"name": "br03040101", "id": "3.4.1.1", "level": 2, "title": "...",
                                "mode": "Automatic", "status": "FAIL", "error": "..."}, ...}}
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from hardened_eks import tags
from hardened_eks.schemas import validate
from hardening.bottlerocket import catalog

FRAMEWORKS = ("cis", "cis-k8s")
SSM_DOCUMENT = "AWS-RunShellScript"
# SSM returns at most this much standard output inline; one bloodhound report is far below it.
SSM_INLINE_OUTPUT_LIMIT = 24000
_TERMINAL = {"Success", "Failed", "Cancelled", "TimedOut", "Cancelling", "Undeliverable", "Terminated",
             "InvalidPlatform", "AccessDenied", "DeliveryTimedOut", "ExecutionTimedOut"}


class ReportError(ValueError):
    """A node's report could not be collected or is not bloodhound's format."""


def report_command(framework: str, level: int) -> str:
    """The command the control container runs for one report."""
    if framework == "cis":
        return f"apiclient report cis -l {level} -f json"
    if framework == "cis-k8s":
        # The Kubernetes worker benchmark's level 2 adds only manual checks; level 1 is what nodes can prove.
        return "apiclient report cis-k8s -f json"
    raise ValueError(f"framework must be one of {FRAMEWORKS}, got {framework!r}")


def _status(result: Mapping[str, Any], where: str) -> str:
    status, mode = result.get("status"), result.get("mode")
    if status == "PASS":
        return "pass"
    if status == "FAIL":
        return "fail"
    if status == "SKIP":
        return "manual" if mode == "Manual" else "skip"
    raise ReportError(f"{where}: unknown status {status!r} (bloodhound reports PASS, FAIL or SKIP)")


def parse_report(raw: str | bytes, framework: str) -> dict[str, Any]:
    """One bloodhound JSON report as a `reports[]` entry of the bottlerocket schema."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"framework must be one of {FRAMEWORKS}, got {framework!r}")
    try:
        doc = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        text = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
        raise ReportError(f"{framework} report is not JSON ({err}); output began: {text[:200]!r}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), dict):
        shape = sorted(doc) if isinstance(doc, dict) else type(doc).__name__
        raise ReportError(f"{framework} report has no `results` object; got {shape}")
    known = catalog.by_check() if framework == "cis" else {}
    checks = []
    for name, result in doc["results"].items():
        where = f"{framework} check {name}"
        if not isinstance(result, dict) or not result.get("id") or not result.get("title"):
            raise ReportError(f"{where}: needs `id` and `title`, got {result!r}")
        check: dict[str, Any] = {
            "id": str(result["id"]),
            "title": str(result["title"]),
            "status": _status(result, where),
            "checkId": str(name),
        }
        if isinstance(result.get("level"), int) and result["level"] in (1, 2):
            check["level"] = result["level"]
        if result.get("error"):
            check["reason"] = str(result["error"])
        control = known.get(str(name))
        if control and control.id != check["id"]:
            raise ReportError(f"{where}: reports id {check['id']} but the catalogue maps {name} to {control.id}")
        method = control.method(int(doc.get("level", 1))) if control else None
        if method and method.on_node and check["status"] == method.on_node.expected:
            check["knownIssue"] = f"{method.on_node.source}: {method.on_node.reason}"
        checks.append(check)
    checks.sort(key=lambda c: [int(p) if p.isdigit() else p for p in c["id"].split(".")])
    summary = {status: sum(c["status"] == status for c in checks) for status in ("pass", "fail", "skip", "manual")}
    # bloodhound counts manual checks as skipped; its own totals must agree with what we parsed.
    claimed = (doc.get("passed"), doc.get("failed"), doc.get("skipped"), doc.get("total"))
    ours = (summary["pass"], summary["fail"], summary["skip"] + summary["manual"], len(checks))
    if claimed != ours:
        raise ReportError(f"{framework} report totals (passed, failed, skipped, total) = {claimed} do not match "
                          f"its results {ours}")
    entry: dict[str, Any] = {"framework": framework, "checks": checks, "summary": summary}
    if doc.get("version"):
        entry["benchmarkVersion"] = str(doc["version"])
    if doc.get("level") in (1, 2):
        entry["level"] = doc["level"]
    if doc.get("name"):
        entry["benchmarkName"] = str(doc["name"])
    return entry


def node_entry(node: str, instance_id: str, ami_id: str, collected_at: str,
               reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {"node": node, "instanceId": instance_id, "amiId": ami_id, "collectedAt": collected_at,
            "reports": list(reports)}


def document(stack: str, level: int, ami_id: str, nodes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The `bottlerocket` result of one (pattern, level) node group, validated against its schema."""
    doc = {"schemaVersion": 1, "kind": "bottlerocket", "stack": stack, "pattern": "bottlerocket", "level": level,
           "amiId": ami_id, "nodes": sorted(nodes, key=lambda n: n["node"])}
    return validate("bottlerocket", doc)


def node_group_instances(ec2: Any, stack: str, level: int) -> list[dict[str, str]]:
    """Running instances of the stack's Bottlerocket node group of `level`, found by the tag scheme."""
    filters = [
        {"Name": f"tag:{tags.STACK}", "Values": [stack]},
        {"Name": f"tag:{tags.PATTERN}", "Values": ["bottlerocket"]},
        {"Name": f"tag:{tags.LEVEL}", "Values": [str(level)]},
        {"Name": "instance-state-name", "Values": ["running"]},
    ]
    found = []
    for page in ec2.get_paginator("describe_instances").paginate(Filters=filters):
        for reservation in page["Reservations"]:
            for instance in reservation["Instances"]:
                found.append({"instanceId": instance["InstanceId"], "amiId": instance["ImageId"],
                              "node": instance.get("PrivateDnsName") or instance["InstanceId"]})
    return sorted(found, key=lambda i: i["instanceId"])


def run_on_nodes(ssm: Any, instance_ids: Sequence[str], command: str, *, timeout_seconds: int = 300,
                 poll_seconds: float = 5.0, sleep: Callable[[float], None] = time.sleep) -> dict[str, str]:
    """Run one command in the control container of each instance; their standard output by instance id."""
    if not instance_ids:
        return {}
    sent = ssm.send_command(
        InstanceIds=list(instance_ids),
        DocumentName=SSM_DOCUMENT,
        Parameters={"commands": [command]},
        Comment="hardened-eks: Bottlerocket on-node CIS report",
        TimeoutSeconds=timeout_seconds,
    )
    command_id = sent["Command"]["CommandId"]
    outputs: dict[str, str] = {}
    waited = 0.0
    pending = list(instance_ids)
    while pending:
        still = []
        for instance_id in pending:
            try:
                inv = ssm.get_command_invocation(CommandId=command_id, InstanceId=instance_id)
            except ssm.exceptions.InvocationDoesNotExist:
                still.append(instance_id)  # not registered yet right after send_command
                continue
            status = inv["Status"]
            if status not in _TERMINAL:
                still.append(instance_id)
            elif status != "Success":
                raise ReportError(f"{instance_id}: `{command}` ended {status}: "
                                  f"{(inv.get('StandardErrorContent') or '').strip()[:500]}")
            else:
                out = inv.get("StandardOutputContent", "")
                if len(out) >= SSM_INLINE_OUTPUT_LIMIT:
                    raise ReportError(f"{instance_id}: `{command}` output was truncated by SSM")
                outputs[instance_id] = out
        pending = still
        if pending:
            if waited >= timeout_seconds:
                raise ReportError(f"`{command}` still running after {timeout_seconds}s on {', '.join(pending)}")
            sleep(poll_seconds)
            waited += poll_seconds
    return outputs


def collect(ec2: Any, ssm: Any, stack: str, level: int, now: Callable[[], str],
            frameworks: Iterable[str] = FRAMEWORKS, **run_options: Any) -> dict[str, Any] | None:
    """Collect the reports of every node of the level's node group; None when it has no running node."""
    instances = node_group_instances(ec2, stack, level)
    if not instances:
        return None
    ids = [i["instanceId"] for i in instances]
    per_instance: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for framework in frameworks:
        outputs = run_on_nodes(ssm, ids, report_command(framework, level), **run_options)
        for instance_id in ids:
            try:
                per_instance[instance_id].append(parse_report(outputs[instance_id], framework))
            except ReportError as err:
                raise ReportError(f"{instance_id}: {err}") from None
    collected_at = now()
    nodes = [node_entry(i["node"], i["instanceId"], i["amiId"], collected_at, per_instance[i["instanceId"]])
             for i in instances]
    # Nodes of one group share an AMI except during a rollout: the header names the AMI most nodes run
    # (each node keeps its own).
    counts = Counter(i["amiId"] for i in instances)
    ami_id = min(counts, key=lambda ami: (-counts[ami], ami))
    return document(stack, level, ami_id, nodes)

"""Build the comparison report of one stack from its result files. Pure: JSON in, JSON out.

Inputs: the validated stack config, the results tree (read only through the result schemas), the
stack outputs (which AMI each node group runs now) and the previous report. Output: one document
valid against `schemas/report.schema.json`, with the compliance gate already applied.

Every result is judged against what the stack's config and the catalogues say must be there (the
audit profile, the planned workload tests, one kube-bench and Inspector result per node), never
against what the file says about itself: anything missing or inconsistent makes the row `unknown`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import hardening
from hardened_eks.ami_build.gate import audit_problems, expected_profile
from hardened_eks.config import StackConfig
from hardened_eks.inspector import cis_scan_supported
from hardened_eks.jsonfile import JsonFileError, read_json
from hardened_eks.patterns import Pattern
from hardened_eks.program import node_group_key
from hardened_eks.results import result_path
from hardened_eks.schemas import ResultInvalid, validate
from hardened_eks.workload_tests import kube_bench_benchmark, tests_for
from pipeline.drift import drift as node_drift
from pipeline.drift import drift_changes
from pipeline.gate import ComplianceGate, evaluate_row

# Worst first: when nodes of one node group disagree, the report shows the worst status.
_BOTTLEROCKET_ORDER = ("fail", "manual", "skip", "pass")
_KUBE_BENCH_ORDER = ("fail", "warn", "pass", "info")
_TEST_ORDER = ("fail", "error", "pending", "pass")


@dataclass(frozen=True)
class ReportInputs:
    config: StackConfig
    results_root: Path
    gate: ComplianceGate
    generated_at: datetime
    as_of: date
    outputs: Mapping[str, Any] = field(default_factory=dict)
    previous: Mapping[str, Any] | None = None
    previous_problem: str | None = None  # why a previous report that exists was not used (no diff then)


def expected_kinds(pattern: Pattern, ami_only: bool, node_audit: bool = False) -> tuple[str, ...]:
    """Result kinds a (pattern, level) must have before the report may judge it. `node_audit` (the stack's
    hardened-eks:nodeAudit): patterns that build an AMI also need the live node audits of their nodes."""
    kinds: list[str] = ["build", "audit"] if pattern.builds_ami else []
    if ami_only:
        return tuple(kinds)
    if pattern.os_family == "bottlerocket":  # Bottlerocket's own on-node CIS reports
        kinds.append("bottlerocket")
    kinds += ["kube-bench", "workloads", "inspector"]
    if node_audit and pattern.builds_ami:
        kinds.append("node-audit")
    return tuple(kinds)


def build_report(inputs: ReportInputs) -> dict[str, Any]:
    config = inputs.config
    rows = [_row(inputs, pattern, level) for pattern, level in config.node_groups()]
    failures = [f"{row['key']}: {reason}" for row in rows for reason in row["gateFailures"]]
    report = {
        "schemaVersion": 1,
        "kind": "report",
        "stack": config.stack,
        "generatedAt": inputs.generated_at.isoformat().replace("+00:00", "Z"),
        "asOf": inputs.as_of.isoformat(),
        "kubernetesVersion": config.kubernetes_version,
        "amiOnly": config.ami_only,
        "gate": {"passed": not failures, "rules": inputs.gate.as_config(), "failures": failures},
        "rows": rows,
        "controls": differing_controls(rows),
        "exclusions": exclusions(config),
        "diff": diff_reports(inputs.previous, rows, inputs.previous_problem),
    }
    return validate("report", report, f"report of stack {config.stack}")


def exclusions(config: StackConfig) -> list[dict[str, str]]:
    """Every control the stack leaves out, with the reason: the stack file's, "no reason given", or automatic."""
    entries = []
    for benchmark, ids in config.all_exclusions().items():
        titles = {control.id: control.title for control in hardening.load_catalog(benchmark)}
        for control_id in ids:
            configured = control_id in config.exclusions.get(benchmark, ())
            entries.append({"benchmark": benchmark, "id": control_id, "title": titles.get(control_id, ""),
                            "origin": "config" if configured else "automatic",
                            "reason": config.configured_reason(benchmark, control_id) if configured
                            else config.exclusion_reason(benchmark, control_id)})
    return entries


# --- one row per (pattern, level) -------------------------------------------------------------


class _Results:
    """The result documents of one node group, with every reason they cannot be trusted."""

    def __init__(self, inputs: ReportInputs, pattern: Pattern, level: int):
        self.inputs, self.pattern, self.level = inputs, pattern, level
        self.unknown: list[str] = []
        self.docs: dict[str, Any] = {}
        for kind in expected_kinds(pattern, inputs.config.ami_only, inputs.config.node_audit):
            self.docs[kind] = self._load(kind)

    def _load(self, kind: str) -> Any | None:
        stack = self.inputs.config.stack
        path = result_path(self.inputs.results_root, stack, self.pattern.name, self.level, kind)
        try:
            # A regular file of bounded size only: a FIFO or device must not hang the report.
            doc = validate(kind, read_json(path), str(path))
        except FileNotFoundError:
            self.unknown.append(f"{kind} result missing ({path})")
            return None
        except ResultInvalid as error:
            self.unknown.append(f"{kind} result is invalid: {str(error).splitlines()[1].strip()}")
            return None
        except JsonFileError as error:
            self.unknown.append(f"{kind} result cannot be read: {error}")
            return None
        for name, want in (("stack", stack), ("pattern", self.pattern.name), ("level", self.level)):
            if name in doc and doc[name] != want:
                self.unknown.append(f"{kind} result at {path} is for {name} {doc[name]}, not {want}")
                return None
        return doc

    def drop(self, kind: str, reason: str) -> None:
        """A result that is not about the current AMI counts as missing."""
        self.unknown.append(reason)
        self.docs[kind] = None


def _current_amis(outputs: Mapping[str, Any], key: str) -> tuple[str | None, str | None]:
    """(AMI the node group runs, its source AMI) from the stack outputs, where the program exports them."""
    node_group = (outputs.get("nodeGroups") or {}).get(key) or {}
    ami = node_group.get("amiId") or (outputs.get("amiIds") or {}).get(key)
    source = node_group.get("sourceAmiId") or (outputs.get("sourceAmis") or {}).get(key)
    return ami, source


def _row(inputs: ReportInputs, pattern: Pattern, level: int) -> dict[str, Any]:
    key = node_group_key(pattern.name, level)
    results = _Results(inputs, pattern, level)
    docs = results.docs
    ami, source = _current_amis(inputs.outputs, key)
    build = docs.get("build")
    if ami is None and build:
        ami = build["amiId"]  # no outputs (a report from results only): the build names the AMI
    if ami is None and not pattern.builds_ami:
        ami = source  # stock patterns run their source AMI as it is
    if ami is None:
        ami = _agreed_ami(docs)
    if source is None:
        source = build["sourceAmiId"] if build else (ami if not pattern.builds_ami else None)
    _drop_stale(results, ami, key)

    row: dict[str, Any] = {
        "key": key,
        "pattern": pattern.name,
        "level": level,
        "benchmark": pattern.benchmark.key,
        "benchmarkVersion": pattern.benchmark.version,
        "method": str(pattern.method),
        "status": "unknown",
        "amiId": ami,
        "sourceAmiId": source,
        "expected": list(expected_kinds(pattern, inputs.config.ami_only, inputs.config.node_audit)),
        "unknownReasons": [],
        "gateFailures": [],
        "audit": None,
        "bottlerocket": None,
        "inspector": None,
        "kubeBench": None,
        "workloads": None,
        "controls": {},
        "inspectorFailedChecks": [],
        "vulnerabilities": [],
        "tests": {},
        "nodeAudit": None,
        "drift": [],
    }
    config = inputs.config
    if docs.get("audit"):
        _add_audit(row, results, docs["audit"], config, pattern, level)
    if docs.get("node-audit"):
        _add_node_audit(row, results, docs["node-audit"], config, pattern, inputs.generated_at)
    if docs.get("bottlerocket"):
        _add_bottlerocket(row, results, docs["bottlerocket"], config, pattern, level)
    if docs.get("kube-bench"):
        _add_kube_bench(row, results, docs["kube-bench"], config)
    if docs.get("workloads"):
        _add_workloads(row, results, docs["workloads"], config)
    if docs.get("inspector"):
        _add_inspector(row, results, docs["inspector"], config, pattern, inputs.as_of)
    row["unknownReasons"] = results.unknown
    row["controls"] = dict(sorted(row["controls"].items(), key=lambda item: _control_sort_key(item[0])))
    row["gateFailures"] = evaluate_row(inputs.gate, row)
    unknown = any(failure.startswith("unknown: ") for failure in row["gateFailures"])
    row["status"] = "unknown" if unknown else ("fail" if row["gateFailures"] else "pass")
    return row


def _agreed_ami(docs: Mapping[str, Any]) -> str | None:
    amis = {doc["amiId"] for doc in docs.values() if doc and "amiId" in doc}
    return amis.pop() if len(amis) == 1 else None


def _drop_stale(results: _Results, ami: str | None, key: str) -> None:
    docs = results.docs
    if ami is None:
        if any(docs.values()):
            results.unknown.append(f"the AMI {key} runs is unknown: the stack outputs name none and the results disagree")
        for kind in docs:
            docs[kind] = None
        return
    for kind, doc in list(docs.items()):
        if not doc or "amiId" not in doc:
            continue
        stale = {doc["amiId"]} - {ami}
        for item in doc.get("nodes", []) + doc.get("tests", []):
            if item.get("amiId") and item["amiId"] != ami:
                stale.add(item["amiId"])
        if stale:
            results.drop(kind, f"{kind} result is for {', '.join(sorted(stale))}, not the current AMI {ami}")
    # The audit has no AMI id of its own: it was written with the build, so it is as current as the build.
    if "audit" in docs and docs.get("audit") and not docs.get("build"):
        results.drop("audit", "audit result cannot be tied to the current AMI without its build result")


def _add_audit(row: dict[str, Any], results: _Results, audit: Mapping[str, Any], config: StackConfig,
               pattern: Pattern, level: int) -> None:
    benchmark = pattern.benchmark.key
    if audit["benchmark"] != benchmark or audit["level"] != level:
        results.drop("audit", f"audit result is for {audit['benchmark']} level {audit['level']}, "
                              f"not {benchmark} level {level}")
        return
    # Judged against the profile the stack's config renders (catalogue controls of the level, the stack's
    # exclusions, the EKS exceptions), not against what the file says about itself.
    profile = expected_profile(benchmark, level, config.excluded(benchmark), config.ip_family)
    problems = audit_problems("result", dict(audit), profile)
    if problems:
        results.unknown.extend(problems)
        results.docs["audit"] = None
        return
    counts: dict[str, int] = dict.fromkeys(("pass", "fail", "manual", "excepted", "excluded", "not-applicable",
                                            "deferred"), 0)
    for control in audit["controls"]:
        counts[control["status"]] = counts.get(control["status"], 0) + 1
        row["controls"][f"{audit['benchmark']}:{control['id']}"] = {"status": control["status"],
                                                                   "title": control["title"]}
    row["audit"] = counts


def _add_node_audit(row: dict[str, Any], results: _Results, doc: Mapping[str, Any], config: StackConfig,
                    pattern: Pattern, now: datetime) -> None:
    """Drift of the live nodes from the AMI's build audit (pipeline/drift.py). Judged only when every node of the
    node group reported an audit of the same profile as the build's, covering the same controls."""
    build = results.docs.get("audit")
    if not build:
        results.drop("node-audit", "node-audit result cannot be compared: no usable build audit of the AMI")
        return
    problems = [f"node audit: {error.get('node') or error.get('pod') or 'a node'}: {error['detail']}"
                for error in doc["errors"]]
    problems += _node_count_problems("node-audit", [node["node"] for node in doc["nodes"]], config)
    digest = build.get("profileDigest")
    built = sorted(control["id"] for control in build["controls"])
    for node in doc["nodes"]:
        if node["profileDigest"] != digest:
            problems.append(f"node audit: node {node['node']} ran audit profile {node['profileDigest']}; the AMI's "
                            f"build audit ran {digest or 'no recorded profile'}")
        elif sorted(control["id"] for control in node["controls"]) != built:
            problems.append(f"node audit: node {node['node']} reports other controls than the build audit")
    if problems:
        results.unknown.extend(problems)
        results.docs["node-audit"] = None
        return
    benchmark = pattern.benchmark.key
    excused = set(config.excluded(benchmark)) | {
        control.id for control in hardening.load_catalog(benchmark)
        if control.exception_for(config.ip_family, benchmark)}
    entries = node_drift(build, doc, excused)
    row["drift"] = entries
    row["nodeAudit"] = {
        "nodes": len(doc["nodes"]), "drift": len(entries),
        "regressed": sum(entry["direction"] == "regressed" for entry in entries),
        "improved": sum(entry["direction"] == "improved" for entry in entries),
        "deferred": len({c["id"] for node in doc["nodes"] for c in node["controls"] if c["status"] == "deferred"}),
        # How old the oldest node's latest audit is when the report is made: a pod that stopped auditing shows here.
        "oldestAuditHours": max(0, int((now - min(datetime.fromisoformat(node["auditedAt"].replace("Z", "+00:00"))
                                                   for node in doc["nodes"])).total_seconds() // 3600))}


def _add_bottlerocket(row: dict[str, Any], results: _Results, doc: Mapping[str, Any], config: StackConfig,
                      pattern: Pattern, level: int) -> None:
    if not doc["nodes"]:
        results.drop("bottlerocket", "bottlerocket result has no node reports")
        return
    benchmark = pattern.benchmark.key
    excluded = set(config.excluded(benchmark))
    catalog = {control.id: control for control in hardening.load_catalog(benchmark)}
    wanted = [control.id for control in catalog.values() if control.level <= level]
    problems = _node_count_problems("bottlerocket", [node["node"] for node in doc["nodes"]], config)
    for node in doc["nodes"]:
        frameworks = {report["framework"] for report in node["reports"]}
        if "cis" not in frameworks:
            results.drop("bottlerocket", f"bottlerocket result: node {node['node']} has no `apiclient report cis`")
            return
        reported = {check["id"] for report in node["reports"] if report["framework"] == "cis"
                    for check in report["checks"]}
        missing = [control_id for control_id in wanted if control_id not in reported]
        if missing:
            problems.append(f"bottlerocket result: node {node['node']} lacks {len(missing)} of the {len(wanted)} "
                            f"level-{level} checks of the catalogue: {_names(missing)}")
    if problems:
        results.unknown.extend(problems)
        results.docs["bottlerocket"] = None
        return
    worst: dict[str, tuple[str, str]] = {}
    for node in doc["nodes"]:
        for report in node["reports"]:
            prefix = benchmark if report["framework"] == "cis" else f"{benchmark}-k8s"
            for check in report["checks"]:
                _keep_worst(worst, f"{prefix}:{check['id']}", check["status"], check["title"], _BOTTLEROCKET_ORDER)
    counts = dict.fromkeys(("pass", "fail", "skip", "manual", "excepted", "excluded"), 0)
    for qualified, (status, title) in worst.items():
        prefix, control_id = qualified.split(":", 1)
        if prefix == benchmark:
            control = catalog.get(control_id)
            if control_id in excluded:
                status = "excluded"
            elif status != "pass" and control and control.exception_for(config.ip_family, benchmark):
                status = "excepted"
            counts[status] += 1
        row["controls"][qualified] = {"status": status, "title": title}
    counts["nodes"] = len(doc["nodes"])
    row["bottlerocket"] = counts


def _add_kube_bench(row: dict[str, Any], results: _Results, doc: Mapping[str, Any], config: StackConfig) -> None:
    if not doc["nodes"]:
        results.drop("kube-bench", "kube-bench result has no node results")
        return
    for error in doc.get("errors", []):  # a node without a usable report: the node group is not fully measured
        results.unknown.append(f"kube-bench: {error.get('node') or error.get('pod') or 'a node'}: {error['detail']}")
    problems = _node_count_problems("kube-bench", [node["node"] for node in doc["nodes"]], config)
    benchmark = kube_bench_benchmark(config.kubernetes_version)
    if doc["benchmark"] != benchmark:
        problems.append(f"kube-bench result ran benchmark {doc['benchmark']}; Kubernetes "
                        f"{config.kubernetes_version} is judged by {benchmark}")
    every = sorted({check["id"] for node in doc["nodes"] for check in node["checks"]}, key=lambda i: _control_sort_key(f"x:{i}"))
    for node in doc["nodes"]:
        ids = [check["id"] for check in node["checks"]]
        if not ids:
            problems.append(f"kube-bench result: node {node['node']} reported no checks")
            continue
        missing = [i for i in every if i not in ids]
        if missing:
            problems.append(f"kube-bench result: node {node['node']} lacks {len(missing)} check(s) the other nodes "
                            f"report: {_names(missing)}")
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            problems.append(f"kube-bench result: node {node['node']} reports check(s) more than once: {_names(repeated)}")
        said = {key: node["summary"][key] for key in sorted(node["summary"]) if key in _KUBE_BENCH_ORDER}
        counted = {key: sum(check["status"] == key.upper() for check in node["checks"]) for key in said}
        if counted != said:
            problems.append(f"kube-bench result: node {node['node']} summary {_counts(said)} disagrees "
                            f"with its checks ({_counts(counted)})")
    if problems:
        results.unknown.extend(problems)
        results.docs["kube-bench"] = None
        return
    worst: dict[str, tuple[str, str]] = {}
    for node in doc["nodes"]:
        for check in node["checks"]:
            _keep_worst(worst, f"{doc['benchmark']}:{check['id']}", check["status"].lower(), check["title"],
                        _KUBE_BENCH_ORDER)
    counts = dict.fromkeys(_KUBE_BENCH_ORDER, 0)
    for qualified, (status, title) in worst.items():
        counts[status] += 1
        row["controls"][qualified] = {"status": status, "title": title}
    counts["nodes"] = len(doc["nodes"])
    row["kubeBench"] = counts


def _add_workloads(row: dict[str, Any], results: _Results, doc: Mapping[str, Any], config: StackConfig) -> None:
    if not doc["tests"]:
        results.drop("workloads", "workloads result has no tests")
        return
    # Every test the plan creates for this node group (the cross-node-group ones only when it has a peer).
    planned = {test.name: test.expect for test in tests_for(len(config.node_groups()) > 1)}
    names = [test["name"] for test in doc["tests"]]
    problems = []
    missing = [name for name in planned if name not in names]
    if missing:
        problems.append(f"workloads result lacks {len(missing)} of the {len(planned)} tests the plan creates for "
                        f"this node group: {_names(missing)}")
    unplanned = sorted({name for name in names if name not in planned})
    if unplanned:
        problems.append(f"workloads result has test(s) the plan does not create: {_names(unplanned)}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        problems.append(f"workloads result lists test(s) more than once: {_names(repeated)}")
    flipped = sorted(test["name"] for test in doc["tests"] if planned.get(test["name"], test["expect"]) != test["expect"])
    if flipped:
        problems.append(f"workloads result expects the opposite of the plan for: {_names(flipped)}")
    if problems:
        results.unknown.extend(problems)
        results.docs["workloads"] = None
        return
    worst: dict[str, tuple[str, str]] = {}
    for test in doc["tests"]:
        _keep_worst(worst, test["name"], test["status"], test["name"], _TEST_ORDER)
    tests = {name: status for name, (status, _) in sorted(worst.items())}
    counts = dict.fromkeys(_TEST_ORDER, 0)
    for status in tests.values():
        counts[status] += 1
    counts["total"] = len(tests)
    if counts["pending"]:
        results.unknown.append(f"{counts['pending']} workload test(s) still pending")
    row["workloads"] = counts
    row["tests"] = tests


def _add_inspector(row: dict[str, Any], results: _Results, doc: Mapping[str, Any], config: StackConfig,
                   pattern: Pattern, as_of: date) -> None:
    cis = doc["cis"]
    problems = []
    if config.inspector_scans and cis_scan_supported(pattern) and not cis["supported"]:
        problems.append(f"inspector result says CIS scans are not supported ({cis['reason']}), but the stack scans "
                        f"{pattern.name} nodes")
    if cis["supported"] and cis["status"] == "COMPLETED":
        problems += _node_count_problems("inspector CIS", cis["nodes"], config)
        for skipped in cis.get("notScanned", []):
            problems.append(f"inspector result: node {skipped['instanceId']} was not scanned: {skipped['reason']}")
    findings = doc["vulnerabilities"]["findings"]
    counted = {severity: sum(f["severity"] == severity for f in findings) for severity in doc["vulnerabilities"]["counts"]}
    if counted != doc["vulnerabilities"]["counts"]:
        problems.append(f"inspector result vulnerability counts {_counts(doc['vulnerabilities']['counts'])} disagree "
                        f"with its findings ({_counts(counted)})")
    if problems:
        results.unknown.extend(problems)
        results.docs["inspector"] = None
        return
    findings = []
    for finding in doc["vulnerabilities"]["findings"]:
        due = finding.get("dueDate")
        # Judge due dates on the report's day: a finding collected yesterday may be overdue today.
        overdue = bool(finding["overdue"] or (due and date.fromisoformat(due) < as_of))
        findings.append({"id": finding["id"], "title": finding.get("title", ""), "severity": finding["severity"],
                         "packages": sorted(set(finding.get("packages") or [])), "dueDate": due, "overdue": overdue})
    findings.sort(key=lambda f: f["id"])
    summary: dict[str, Any] = {
        "cisSupported": cis["supported"],
        "cis": None,
        "cisReason": None if cis["supported"] else cis["reason"],
        "vulnerabilities": dict(doc["vulnerabilities"]["counts"]),
        "overdue": sum(f["overdue"] for f in findings),
        "disagreements": [],
    }
    if cis["supported"]:
        summary["cisStatus"] = cis["status"]
        if "reportUrl" in cis:
            summary["reportUrl"] = cis["reportUrl"]
        if cis["status"] != "COMPLETED":
            results.unknown.append(f"Inspector CIS scan {cis['status']} ({cis['scanArn']})")
        else:
            summary["cis"] = {"passed": cis["passed"], "failed": cis["failed"], "skipped": cis["skipped"],
                              "nodes": len(cis["nodes"])}
            summary["disagreements"] = sorted(cis["disagreements"], key=lambda d: _control_sort_key(f"x:{d['id']}"))
            row["inspectorFailedChecks"] = sorted({c["id"] for c in cis["failedChecks"]},
                                                  key=lambda i: _control_sort_key(f"x:{i}"))
    row["inspector"] = summary
    row["vulnerabilities"] = findings


def _node_count_problems(what: str, nodes: list[str], config: StackConfig) -> list[str]:
    """Results per node: one per node the node group runs (its desired size), none twice."""
    problems = []
    repeated = sorted({node for node in nodes if nodes.count(node) > 1})
    if repeated:
        problems.append(f"{what} result lists node(s) more than once: {_names(repeated)}")
    wanted = config.node_group_size.desired_size
    if len(set(nodes)) < wanted:
        problems.append(f"{what} result covers {len(set(nodes))} node(s); the node group runs {wanted} "
                        "(nodeGroupSize.desiredSize)")
    return problems


def _names(items: list[str], shown: int = 8) -> str:
    return ", ".join(items[:shown]) + (f", ... ({len(items) - shown} more)" if len(items) > shown else "")


def _counts(counts: Mapping[str, int]) -> str:
    return " ".join(f"{key}={value}" for key, value in counts.items())


def _keep_worst(seen: dict[str, tuple[str, str]], key: str, status: str, title: str, order: tuple[str, ...]) -> None:
    if key not in seen or order.index(status) < order.index(seen[key][0]):
        seen[key] = (status, title)


def _control_sort_key(qualified: str) -> tuple[str, tuple[int, ...], str]:
    prefix, control_id = qualified.split(":", 1)
    numbers = tuple(int(part) for part in control_id.split(".") if part.isdigit())
    return prefix, numbers, control_id


# --- across rows ------------------------------------------------------------------------------


def differing_controls(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Controls whose status is not the same in every node group that reports them."""
    table: dict[str, dict[str, Any]] = {}
    for row in rows:
        for qualified, control in row["controls"].items():
            entry = table.setdefault(qualified, {"id": qualified, "title": control["title"], "statuses": {}})
            entry["statuses"][row["key"]] = control["status"]
    return [entry for qualified, entry in sorted(table.items(), key=lambda item: _control_sort_key(item[0]))
            if len(set(entry["statuses"].values())) > 1]


def diff_reports(previous: Mapping[str, Any] | None, rows: list[dict[str, Any]],
                 problem: str | None = None) -> dict[str, Any]:
    """What changed since the previous report: controls, Inspector checks, CVEs, tests and AMIs per row."""
    if previous is None:
        return {"previousGeneratedAt": None, "rows": [], "removedRows": [],
                **({"previousIgnored": problem} if problem else {})}
    before = {row["key"]: row for row in previous["rows"]}
    changed = []
    for row in rows:
        old = before.get(row["key"])
        entry = _row_diff(old, row)
        if entry["added"] or any(entry[k] for k in ("status", "amiId", "sourceAmiId", "controls", "tests")) \
                or any(entry["inspectorChecks"].values()) or any(entry["vulnerabilities"].values()) \
                or any(entry["drift"].values()):
            changed.append(entry)
    current = {row["key"] for row in rows}
    return {
        "previousGeneratedAt": previous["generatedAt"],
        "rows": changed,
        "removedRows": sorted(set(before) - current),
    }


def _change(old: Any, new: Any) -> dict[str, Any] | None:
    return None if old == new else {"from": old, "to": new}


def _row_diff(old: Mapping[str, Any] | None, row: Mapping[str, Any]) -> dict[str, Any]:
    # A new node group is reported as added; listing its every control as "changed" would bury real changes.
    previous = old or row
    # Compare only benchmarks reported both times: a lost result shows as the row turning unknown, not as
    # every one of its controls vanishing.
    both = {q.split(":", 1)[0] for q in previous["controls"]} & {q.split(":", 1)[0] for q in row["controls"]}
    controls = []
    for qualified in sorted((set(previous["controls"]) | set(row["controls"])), key=_control_sort_key):
        if qualified.split(":", 1)[0] not in both:
            continue
        was = previous["controls"].get(qualified)
        now = row["controls"].get(qualified)
        if (was or {}).get("status") != (now or {}).get("status"):
            controls.append({"id": qualified, "title": (now or was)["title"],
                             "from": was and was["status"], "to": now and now["status"]})
    failed_before, failed_now = set(previous["inspectorFailedChecks"]), set(row["inspectorFailedChecks"])
    vulns_before = {f["id"]: f for f in previous["vulnerabilities"]}
    vulns_now = {f["id"]: f for f in row["vulnerabilities"]}
    tests = [{"name": name, "from": previous["tests"].get(name), "to": row["tests"].get(name)}
             for name in sorted(set(previous["tests"]) | set(row["tests"]))
             if previous["tests"].get(name) != row["tests"].get(name)]
    return {
        "key": row["key"],
        "added": old is None,
        "status": _change(previous["status"], row["status"]) if old else None,
        "amiId": _change(previous["amiId"], row["amiId"]) if old else None,
        "sourceAmiId": _change(previous["sourceAmiId"], row["sourceAmiId"]) if old else None,
        "controls": controls,
        "inspectorChecks": {"newlyFailing": sorted(failed_now - failed_before),
                            "fixed": sorted(failed_before - failed_now)},
        "vulnerabilities": {
            "new": sorted(set(vulns_now) - set(vulns_before)),
            "resolved": sorted(set(vulns_before) - set(vulns_now)),
            "newlyOverdue": sorted(i for i, f in vulns_now.items()
                                   if f["overdue"] and i in vulns_before and not vulns_before[i]["overdue"]),
        },
        "tests": tests,
        # Drift on live nodes, new or resolved (a previous report older than node audits has none).
        "drift": drift_changes(previous.get("drift"), row.get("drift") or []),
    }

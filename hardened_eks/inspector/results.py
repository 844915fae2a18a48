"""Turn Amazon Inspector's view of a stack's nodes into one `inspector` result per (pattern, level).

Called by the pipeline after `pulumi up` (`collect(context)`):
1. find the stack's running nodes (EC2 instances tagged `hardened-eks:stack`) and map each to its
   (pattern, level) through the `hardened-eks:pattern` and `hardened-eks:level` tags;
2. per level with an Amazon Linux node group, wait for the CIS scan of that level's scan
   configuration (stack output `inspectorCisScans`) to finish, read each node's check results and
   download the scan's CSV report next to the result;
3. read the active package vulnerability findings of the nodes and give each a due date from the
   vulnerability policy;
4. cross-reference Inspector's CIS verdicts with our own build audit (same benchmark ids) and write
   the documents through `hardened_eks.results.write_result` (validated against the schema).

Every API failure a user can hit becomes an InspectorError with a message saying what to do.
"""

from __future__ import annotations

import re
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from hardened_eks import tags
from hardened_eks.config import StackConfig
from hardened_eks.inspector import CIS_NOT_SUPPORTED_REASON, cis_scan_supported, output_key
from hardened_eks.inspector.errors import RETRY_CONFIG, InspectorError, call, paginate
from hardened_eks.inspector.policy import SEVERITIES, VulnerabilityPolicy, parse_vulnerability_policy
from hardened_eks.inspector.scan_configuration import (
    create_scan_configuration,
    delete_scan_configuration,
    find_scan_configuration,
)
from hardened_eks.inspector.ssm import SSM_UNMANAGED, SsmWait, wait_until_managed
from hardened_eks.patterns import Pattern
from hardened_eks.program import node_group_key
from hardened_eks.results import read_result, result_path, write_result
from hardened_eks.schemas import ResultInvalid

SCANS_OUTPUT = "inspectorCisScans"
REPORT_FILE = "inspector-cis-report.csv"
SCANS_OFF_REASON = "CIS scans are switched off for this stack (hardened-eks:inspectorScans: false)"
# Worst first: when nodes of one node group disagree on a check, the group gets the worst verdict.
_CHECK_ORDER = ("FAILED", "SKIPPED", "PASSED")
_SEVERITY_ORDER = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNTRIAGED", "INFORMATIONAL")
_RESOURCE_ID_FILTER_MAX = 10  # list_findings accepts at most 10 values per filter
# A CIS recommendation number (1.1.1.1) inside Inspector's check id, or at the start of its title.
_ID_IN_CHECK = re.compile(r"(?<![\d.])(\d+(?:\.\d+)+)(?![\d])")
_ID_AT_TITLE_START = re.compile(r"^\s*(\d+(?:\.\d+)+)\s")


@dataclass(frozen=True)
class Node:
    instance_id: str
    pattern: str
    level: int
    ami_id: str


@dataclass(frozen=True)
class Timing:
    """How long to wait and how; tests inject a fake clock and sleep."""

    timeout_seconds: float
    poll_seconds: float = 30.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass
class LevelScan:
    """The outcome of one level's CIS scan, per node."""

    scan_arn: str
    status: str
    # instance id -> (targetStatus or why it was not scanned, checks: benchmark id -> (verdict, title, checkId))
    node_status: dict[str, str] = field(default_factory=dict)
    checks: dict[str, dict[str, tuple[str, str, str]]] = field(default_factory=dict)
    report_url: str | None = None
    report_csv: bytes | None = None


def benchmark_id(check_id: str, title: str) -> str:
    """The CIS recommendation id of an Inspector check, so it can be compared with our audit."""
    match = _ID_IN_CHECK.search(check_id or "") or _ID_AT_TITLE_START.match(title or "")
    return match.group(1) if match else check_id


# --- nodes ---------------------------------------------------------------------------------------


def find_nodes(ec2: Any, stack: str) -> list[Node]:
    """Running instances of the stack that carry a pattern and level tag."""
    instances = paginate(ec2, "describe_instances", "Reservations",
                         Filters=[{"Name": f"tag:{tags.STACK}", "Values": [stack]},
                                  {"Name": "instance-state-name", "Values": ["running"]}])
    nodes = []
    for reservation in instances:
        for instance in reservation.get("Instances", []):
            instance_tags = {t["Key"]: t["Value"] for t in instance.get("Tags", [])}
            level = instance_tags.get(tags.LEVEL, "")
            if tags.PATTERN in instance_tags and level.isdigit():
                nodes.append(Node(instance["InstanceId"], instance_tags[tags.PATTERN], int(level),
                                  instance.get("ImageId", "")))
    if not nodes:
        raise InspectorError(
            f"no running EC2 instances tagged {tags.STACK}={stack} (with {tags.PATTERN} and {tags.LEVEL}) in "
            f"{ec2.meta.region_name}: are the node groups up (pulumi up) and do their launch templates tag instances?")
    return sorted(nodes, key=lambda n: n.instance_id)


def current_ami(outputs: Mapping[str, Any], key: str, nodes: list[Node]) -> str | None:
    """The AMI a node group runs now: from the stack outputs, else the one AMI its nodes agree on."""
    named = ((outputs.get("nodeGroups") or {}).get(key) or {}).get("amiId") or (outputs.get("amiIds") or {}).get(key)
    if named:
        return named
    amis = {n.ami_id for n in nodes}
    return amis.pop() if len(amis) == 1 else None


# --- CIS scans -----------------------------------------------------------------------------------


def wait_for_scan(inspector: Any, configuration_arn: str, timing: Timing, log: Callable[[str], None]) -> dict:
    """The newest scan of a configuration once it is no longer in progress; status TIMED_OUT if it stays so."""
    deadline = timing.clock() + timing.timeout_seconds
    criteria = {"scanConfigurationArnFilters": [{"comparison": "EQUALS", "value": configuration_arn}]}
    while True:
        scans = list(paginate(inspector, "list_cis_scans", "scans", filterCriteria=criteria,
                              sortBy="SCAN_START_DATE", sortOrder="DESC"))
        latest = max(scans, key=lambda s: s.get("scanDate") or datetime.min.replace(tzinfo=UTC), default=None)
        if latest is not None and latest.get("status") != "IN_PROGRESS":
            return latest
        now = timing.clock()
        if now >= deadline:
            minutes = round(timing.timeout_seconds / 60)
            if latest is None:
                raise InspectorError(
                    f"no CIS scan of {configuration_arn} started within {minutes} minutes: check that Inspector is "
                    "enabled for EC2 and that the nodes are managed by Systems Manager (SSM agent running)")
            return {**latest, "status": "TIMED_OUT"}
        state = "not started yet" if latest is None else f"in progress since {latest.get('scanDate')}"
        log(f"inspector: CIS scan of {configuration_arn} {state}; waiting (up to {round((deadline - now) / 60)} "
            "more minutes)")
        timing.sleep(min(timing.poll_seconds, max(deadline - now, 0)))


def rescan(inspector: Any, ssm: Any, configuration_arn: str, instance_ids: list[str], timing: Timing,
           log: Callable[[str], None]) -> dict | None:
    """A new one-time CIS scan with the configuration's targets, once `instance_ids` are SSM-managed;
    the finished scan, or None when they stay unmanaged. One rescan configuration per level is kept
    (named after the original, tagged like it); an older one is replaced."""
    wait = SsmWait(timeout_seconds=min(timing.timeout_seconds, 15 * 60), poll_seconds=timing.poll_seconds,
                   clock=timing.clock, sleep=timing.sleep)
    still = wait_until_managed(lambda: list(instance_ids), ssm, wait, log)
    if still:
        log(f"inspector: {', '.join(still)} still not managed by Systems Manager; not re-scanning")
        return None
    original = find_scan_configuration(inspector, configuration_arn)
    if original is None:
        return None
    name = f"{original['scanName'][:120]}-rescan"
    for old in paginate(inspector, "list_cis_scan_configurations", "scanConfigurations",
                        filterCriteria={"scanNameFilters": [{"comparison": "EQUALS", "value": name}]}):
        delete_scan_configuration(inspector, old["scanConfigurationArn"])
    arn = create_scan_configuration(inspector, {"scanName": name, "securityLevel": original["securityLevel"],
                                                "targets": original["targets"], "tags": original.get("tags") or {}})
    log(f"inspector: {', '.join(instance_ids)} were unmanaged in, or missing from, the scan of {configuration_arn}; "
        f"they are managed now, so a new one-time scan runs ({arn})")
    return wait_for_scan(inspector, arn, timing, log)


def read_scan(inspector: Any, scan: dict, node_ids: set[str]) -> LevelScan:
    """Per-node status and check verdicts of a finished scan, for the given nodes only."""
    outcome = LevelScan(scan_arn=scan["scanArn"], status=scan.get("status", "FAILED"))
    if outcome.status != "COMPLETED":
        return outcome
    targets = list(paginate(inspector, "list_cis_scan_results_aggregated_by_target_resource",
                            "targetResourceAggregations", scanArn=outcome.scan_arn))
    for target in targets:
        instance_id = target.get("targetResourceId", "")
        if instance_id not in node_ids:
            continue
        status, reason = target.get("targetStatus", ""), target.get("targetStatusReason")
        counts = target.get("statusCounts") or {}
        if status != "COMPLETED" or reason or not any(counts.get(k) for k in ("passed", "failed", "skipped")):
            outcome.node_status[instance_id] = reason or status or "NO_RESULTS"
            continue
        outcome.node_status[instance_id] = "COMPLETED"
        details = paginate(inspector, "get_cis_scan_result_details", "scanResultDetails", scanArn=outcome.scan_arn,
                           targetResourceId=instance_id, accountId=target["accountId"])
        checks = outcome.checks.setdefault(instance_id, {})
        for detail in details:
            check_id, title = detail.get("checkId", ""), detail.get("title", "")
            checks[benchmark_id(check_id, title)] = (detail.get("status", "SKIPPED"), title, check_id)
    for instance_id in node_ids - set(outcome.node_status):
        outcome.node_status[instance_id] = "NOT_IN_SCAN"
    return outcome


def fetch_report(inspector: Any, scan_arn: str, timing: Timing, fetch: Callable[[str], bytes],
                 log: Callable[[str], None]) -> tuple[str | None, bytes | None]:
    """The CSV report of a scan: (its location without the signed query, its bytes), or (None, None)."""
    deadline = timing.clock() + timing.timeout_seconds
    while True:
        response = call(inspector, "get_cis_scan_report", scanArn=scan_arn, reportFormat="CSV")
        status = response.get("status")
        if status == "SUCCEEDED" and response.get("url"):
            break
        if status == "FAILED" or timing.clock() >= deadline:
            log(f"inspector: the CSV report of {scan_arn} is {status or 'unavailable'}; results are kept without it")
            return None, None
        timing.sleep(min(timing.poll_seconds, max(deadline - timing.clock(), 0)))
    url = response["url"]
    # The URL is pre-signed: its query carries a temporary credential, so it is never written down.
    location = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(query="", fragment=""))
    try:
        return location, fetch(url)
    except OSError as error:
        log(f"inspector: downloading the CSV report of {scan_arn} failed ({error}); results are kept without it")
        return location, None


def _download(url: str) -> bytes:
    if urllib.parse.urlsplit(url).scheme != "https":
        raise OSError(f"refusing to download a report from a non-https URL ({url.split('?')[0]})")
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


def cis_section(scan: LevelScan, nodes: list[Node], audit: Mapping[str, Any] | None) -> dict[str, Any]:
    """The `cis` part of one node group's result."""
    ids = [n.instance_id for n in nodes]
    scanned = [i for i in ids if scan.node_status.get(i) == "COMPLETED"]
    section: dict[str, Any] = {"supported": True, "scanArn": scan.scan_arn, "status": scan.status,
                               "nodes": scanned, "passed": 0, "failed": 0, "skipped": 0,
                               "failedChecks": [], "disagreements": []}
    not_scanned = [{"instanceId": i, "reason": scan.node_status.get(i, scan.status)} for i in ids if i not in scanned]
    if not_scanned:
        section["notScanned"] = not_scanned
    if scan.report_url:
        section["reportUrl"] = scan.report_url
    if scan.status != "COMPLETED":
        return section
    if not scanned:
        # A finished scan that assessed none of these nodes says nothing about them: never report zeros.
        section["status"] = "FAILED"
        section["statusReason"] = "the scan assessed none of this node group's nodes: " + ", ".join(
            f"{entry['instanceId']} {entry['reason']}" for entry in not_scanned)
        return section
    verdicts: dict[str, tuple[str, str, str]] = {}
    failing_nodes: dict[str, list[str]] = defaultdict(list)
    for instance_id in scanned:
        for check, (verdict, title, raw_id) in scan.checks.get(instance_id, {}).items():
            if verdict == "FAILED":
                failing_nodes[check].append(instance_id)
            if check not in verdicts or _CHECK_ORDER.index(verdict) < _CHECK_ORDER.index(verdicts[check][0]):
                verdicts[check] = (verdict, title, raw_id)
    for verdict in _CHECK_ORDER:
        section[verdict.lower()] = sum(1 for v in verdicts.values() if v[0] == verdict)
    section["failedChecks"] = [{"id": check, "title": title, "checkId": raw_id, "nodes": sorted(failing_nodes[check])}
                               for check, (verdict, title, raw_id) in sorted(verdicts.items(), key=_by_id)
                               if verdict == "FAILED"]
    section["auditCompared"] = audit is not None
    section["disagreements"] = disagreements(verdicts, audit) if audit is not None else []
    return section


def disagreements(verdicts: Mapping[str, tuple[str, str, str]], audit: Mapping[str, Any]) -> list[dict[str, str]]:
    """Checks where Inspector and our build audit contradict each other (one passes what the other fails).

    Controls we except or the user excluded are expected to fail in Inspector, so they are not listed.
    """
    ours = {control["id"]: control for control in audit.get("controls", [])}
    found = []
    for check, (verdict, title, _) in sorted(verdicts.items(), key=_by_id):
        control = ours.get(check)
        if control is None:
            continue
        status = control["status"]
        if (verdict == "FAILED" and status in ("pass", "not-applicable")) or (verdict == "PASSED" and status == "fail"):
            found.append({"id": check, "title": control.get("title") or title, "inspector": verdict, "audit": status})
    return found


def _by_id(item: tuple[str, Any]) -> tuple[tuple[int, ...], str]:
    return tuple(int(p) for p in item[0].split(".") if p.isdigit()), item[0]


# --- vulnerabilities -----------------------------------------------------------------------------


def active_findings(inspector: Any, instance_ids: Iterable[str]) -> list[dict]:
    """Active package vulnerability findings on these instances."""
    ids = sorted(instance_ids)
    findings = []
    for start in range(0, len(ids), _RESOURCE_ID_FILTER_MAX):
        chunk = ids[start:start + _RESOURCE_ID_FILTER_MAX]
        criteria = {"findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}],
                    "findingType": [{"comparison": "EQUALS", "value": "PACKAGE_VULNERABILITY"}],
                    "resourceType": [{"comparison": "EQUALS", "value": "AWS_EC2_INSTANCE"}],
                    "resourceId": [{"comparison": "EQUALS", "value": i} for i in chunk]}
        findings += paginate(inspector, "list_findings", "findings", filterCriteria=criteria, maxResults=100)
    return findings


def _cvss(finding: Mapping[str, Any]) -> float | None:
    """Inspector's score (CVSS adjusted to the environment), else the highest-version CVSS base score."""
    if finding.get("inspectorScore") is not None:
        return float(finding["inspectorScore"])
    scores = (finding.get("packageVulnerabilityDetails") or {}).get("cvss") or []
    best = max(scores, key=lambda s: tuple(int(p) for p in s.get("version", "0").split(".") if p.isdigit()), default=None)
    return float(best["baseScore"]) if best else None


def _timestamp(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def vulnerabilities_section(findings: Iterable[Mapping[str, Any]], node_ids: set[str], policy: VulnerabilityPolicy,
                            today: date) -> dict[str, Any]:
    """The `vulnerabilities` part of one node group's result: one entry per vulnerability, with its instances."""
    by_vulnerability: dict[str, list[tuple[Mapping[str, Any], list[str]]]] = defaultdict(list)
    for finding in findings:
        instances = sorted({r["id"] for r in finding.get("resources", []) if r.get("id") in node_ids})
        if instances:
            details = finding.get("packageVulnerabilityDetails") or {}
            by_vulnerability[details.get("vulnerabilityId") or finding["findingArn"]].append((finding, instances))
    listed = []
    for vulnerability, seen in by_vulnerability.items():
        # Inspector reports one finding per instance; the most severe one speaks for the node group.
        finding = min((f for f, _ in seen), key=lambda f: _SEVERITY_ORDER.index(f.get("severity", "UNTRIAGED")))
        details = finding.get("packageVulnerabilityDetails") or {}
        severity, fix = finding.get("severity", "UNTRIAGED"), finding.get("fixAvailable", "NO")
        published = details.get("vendorCreatedAt")
        due, basis = policy.due_date(severity, published, fix)
        listed.append({
            "id": vulnerability, "title": finding.get("title", vulnerability), "severity": severity,
            "cvss": _cvss(finding), "fixAvailable": fix, "publishedAt": _timestamp(published),
            "dueDate": due.isoformat() if due else None, "dueDateBasis": basis, "overdue": bool(due and due < today),
            "packages": sorted({p["name"] for p in details.get("vulnerablePackages", [])}),
            "instances": sorted({i for _, instances in seen for i in instances}),
        })
    listed.sort(key=lambda e: (_SEVERITY_ORDER.index(e["severity"]), e["id"]))
    counts = dict.fromkeys(SEVERITIES, 0)
    for entry in listed:
        counts[entry["severity"]] += 1
    return {"counts": counts, "overdue": sum(e["overdue"] for e in listed), "findings": listed}


# --- the collector -------------------------------------------------------------------------------


def _audit(results_root: Path, stack: str, pattern: Pattern, level: int, log: Callable[[str], None]) -> dict | None:
    try:
        audit = read_result(results_root, stack, pattern.name, level, "audit")
    except (ResultInvalid, KeyError) as error:
        log(f"inspector: cannot compare with our audit of {node_group_key(pattern.name, level)}: {error}")
        return None
    if audit is not None and (audit.get("benchmark") != pattern.benchmark.key or audit.get("level") != level):
        log(f"inspector: the audit of {node_group_key(pattern.name, level)} is for another benchmark or level; "
            "not compared")
        return None
    return audit


def collect_results(*, inspector: Any, ec2: Any, config: StackConfig, outputs: Mapping[str, Any], results_root: Path,
                    policy: VulnerabilityPolicy, timing: Timing, now: datetime, log: Callable[[str], None],
                    fetch: Callable[[str], bytes] = _download, ssm: Any = None) -> list[Path]:
    """Write one `inspector` result per node group that has running nodes; return the paths written.

    Raises InspectorError after writing what it could when a scan failed, timed out or never started,
    or when a node group had no nodes, so the pipeline shows why its results are incomplete.
    """
    nodes = find_nodes(ec2, config.stack)
    problems: list[str] = []
    groups: dict[tuple[str, int], list[Node]] = {}
    for pattern, level in config.node_groups():
        key = node_group_key(pattern.name, level)
        members = [n for n in nodes if (n.pattern, n.level) == (pattern.name, level)]
        ami = current_ami(outputs, key, members)
        current = [n for n in members if n.ami_id == ami]
        if not current:
            problems.append(f"{key}: no running nodes" + (f" on its current AMI {ami}" if ami and members else ""))
            continue
        if len(current) < len(members):
            log(f"inspector: {key}: ignoring {len(members) - len(current)} node(s) still on an older AMI")
        groups[(pattern.name, level)] = current

    scans: dict[int, LevelScan | None] = {}
    configurations = outputs.get(SCANS_OUTPUT) or {}
    patterns = {p.name: p for p, _ in config.node_groups()}
    for level in sorted({lv for (name, lv) in groups if cis_scan_supported(patterns[name])}):
        if not config.inspector_scans:
            break
        arn = configurations.get(output_key(level))
        if not arn:
            problems.append(f"level {level}: the stack output {SCANS_OUTPUT} names no scan configuration; run "
                            "pulumi up with hardened-eks:inspectorScans: true")
            scans[level] = None
            continue
        try:
            scan = wait_for_scan(inspector, arn, timing, log)
        except InspectorError as error:
            if "not enabled" in str(error) or "missing permission" in str(error):
                raise
            problems.append(f"level {level}: {error}")
            scans[level] = None
            continue
        level_ids = {n.instance_id for (name, lv), members in groups.items()
                     if lv == level and cis_scan_supported(patterns[name]) for n in members}
        outcome = read_scan(inspector, scan, level_ids)
        # Unmanaged when the scan ran, or not in it at all (a node replaced after the scan's one run, say by a
        # launch template change that kept the AMI): scan again once they are managed.
        unmanaged_ids = sorted(i for i, status in outcome.node_status.items() if status in (SSM_UNMANAGED, "NOT_IN_SCAN"))
        if unmanaged_ids and ssm is not None:
            again = rescan(inspector, ssm, arn, unmanaged_ids, timing, log)
            if again is not None:
                outcome = read_scan(inspector, again, level_ids)
        if outcome.status != "COMPLETED":
            problems.append(f"level {level}: CIS scan {outcome.scan_arn} ended {outcome.status}")
        else:
            outcome.report_url, outcome.report_csv = fetch_report(inspector, outcome.scan_arn, timing, fetch, log)
        scans[level] = outcome

    findings = active_findings(inspector, [n.instance_id for members in groups.values() for n in members])
    written = []
    for (name, level), members in groups.items():
        pattern = patterns[name]
        ids = {n.instance_id for n in members}
        if not cis_scan_supported(pattern):
            cis: dict[str, Any] = {"supported": False, "reason": CIS_NOT_SUPPORTED_REASON}
        elif not config.inspector_scans:
            cis = {"supported": False, "reason": SCANS_OFF_REASON}
        elif scans.get(level) is None:
            continue  # no scan to report: the result stays missing and the report marks it unknown
        else:
            scan = scans[level]
            cis = cis_section(scan, members, _audit(results_root, config.stack, pattern, level, log))
            if scan.report_csv is not None:
                path = result_path(results_root, config.stack, name, level, "inspector").with_name(REPORT_FILE)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(scan.report_csv)
                cis["reportCsv"] = REPORT_FILE
        document = {
            "schemaVersion": 1, "kind": "inspector", "stack": config.stack, "pattern": name, "level": level,
            "amiId": members[0].ami_id, "collectedAt": _timestamp(now), "cis": cis,
            "vulnerabilities": vulnerabilities_section(findings, ids, policy, now.date()),
        }
        written.append(write_result(results_root, config.stack, name, level, "inspector", document))
        log(f"inspector: wrote {node_group_key(name, level)}")
    if problems:
        raise InspectorError("Inspector results are incomplete:\n" + "\n".join(f"  - {p}" for p in problems))
    return written


def collect(context: Any) -> None:
    """The pipeline's entry point (`pipeline.collectors.CollectContext`)."""
    import boto3

    config: StackConfig = context.config
    policy = parse_vulnerability_policy(config.extra.get("vulnerabilityPolicy"))
    session = boto3.Session(region_name=config.region)
    collect_results(inspector=session.client("inspector2", config=RETRY_CONFIG),
                    ec2=session.client("ec2", config=RETRY_CONFIG), config=config, outputs=context.outputs,
                    results_root=Path(context.results_root), policy=policy,
                    timing=Timing(timeout_seconds=config.inspector_scan_timeout_minutes * 60),
                    now=datetime.now(UTC), log=context.log, ssm=session.client("ssm", config=RETRY_CONFIG))

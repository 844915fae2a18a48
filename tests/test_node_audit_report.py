"""Drift, end to end with the real audit: a control changed on a node after its AMI was built shows as drift
in the report and fails the gate; an excepted control whose state changed does not; the Markdown and HTML
reports show the drift table; the diff since the previous report names new and resolved drift."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hardened_eks.ami_build.spec import hardening_script
from hardened_eks.config import load_config
from hardened_eks.node_audit import ENTRYPOINT, profile_digest
from hardened_eks.node_audit.collect import collect, parse_result
from hardened_eks.results import write_result
from pipeline.drift import drift, drift_changes
from pipeline.gate import ComplianceGate, evaluate_row
from pipeline.render import render_html, render_markdown
from pipeline.report import ReportInputs, build_report
from tests.conftest import make_raw_config
from tests.hardening.harness import make_root
from tests.test_node_audit import FakeCluster

BASH = shutil.which("bash") or "/bin/bash"
AMI, SOURCE = "ami-0aaaaaaaaaaaaaaa1", "ami-0a1b2c3d4e5f60001"
NODE = "ip-10-0-1-5.ec2.internal"
KEY = "eks-optimized-al2023/level-1"


def config(**overrides):
    return load_config(make_raw_config({"patterns": [{"pattern": "eks-optimized-al2023", "levels": [1]}],
                                        "nodeGroupSize": {"minSize": 1, "desiredSize": 1, "maxSize": 2},
                                        **overrides}), "dev")


def audit_line(script_dir: Path, host: Path, tmp: Path) -> str:
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "NODE_NAME": NODE, "HOST_ROOT": str(host),
           "AUDIT_DIR": str(script_dir), "TMPDIR": str(tmp), "NODE_AUDIT_ONCE": "1", "SCHEDULE": "0 0 * * *"}
    proc = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), BASH, "-u",
                           str(script_dir / "entrypoint.sh")], capture_output=True, text=True, timeout=300)
    assert parse_result(proc.stdout) and "document" in parse_result(proc.stdout), proc.stderr[-2000:]
    return proc.stdout


@pytest.fixture(scope="module")
def audits(tmp_path_factory):
    """The build audit of a fixture node (what the AMI build records), and the node audit of the same node
    after three changes on the node: /etc/passwd made world-writable (6.1.1 passed at build), /etc/shadow- made
    mode 0000 (6.1.7 failed at build), and IP forwarding switched off in the sysctl file EKS ships (3.2.1 is an
    EKS exception: its state changes, its status must not)."""
    tmp = tmp_path_factory.mktemp("drift")
    stack = config()
    script = hardening_script("al2023", 1, stack.excluded("al2023"), "ipv4")
    script_dir = tmp / "audit"
    script_dir.mkdir()
    (script_dir / "cis-harden.sh").write_text(script)
    shutil.copy(ENTRYPOINT, script_dir / "entrypoint.sh")
    (tmp / "scratch").mkdir()
    host = make_root(tmp)
    at_build = audit_line(script_dir, host, tmp / "scratch")
    (host / "etc/passwd").chmod(0o666)
    (host / "etc/shadow-").chmod(0o000)  # 6.1.7 failed at build: fixed on the node since
    sysctl = host / "etc/sysctl.d/99-kubernetes-cri.conf"
    sysctl.write_text(sysctl.read_text().replace("net.ipv4.ip_forward = 1", "net.ipv4.ip_forward = 0"))
    changed = audit_line(script_dir, host, tmp / "scratch")
    return {"script": script, "build": parse_result(at_build)["document"], "clean": at_build, "changed": changed}


def entry(script: str) -> dict:
    return {"pattern": "eks-optimized-al2023", "level": 1, "benchmark": "al2023", "amiId": AMI,
            "namespace": "node-audit-eks-optimized-al2023-l1", "daemonSet": "node-audit", "container": "audit",
            "profileDigest": profile_digest(script), "nodes": 1}


def results_tree(root: Path, audits: dict, node_log: str) -> Path:
    write_result(root, "dev", "eks-optimized-al2023", 1, "build", {
        "schemaVersion": 1, "kind": "build", "stack": "dev", "pattern": "eks-optimized-al2023", "level": 1,
        "benchmark": "al2023", "sourceAmiId": SOURCE, "amiId": AMI, "amis": [{"region": "us-west-2", "amiId": AMI}],
        "buildHash": "a" * 64, "generatedAt": "2026-12-01T08:00:00Z"})
    # The build audits the running builder (root "/"); here the fixture root stands in for it.
    write_result(root, "dev", "eks-optimized-al2023", 1, "audit", {**audits["build"], "root": "/"})
    collect(FakeCluster({NODE: node_log}), "dev", {KEY: entry(audits["script"])}, lambda ids: dict.fromkeys(ids, AMI),
            root, now="2026-12-04T00:00:00Z")
    return root


def report(root: Path, previous: dict | None = None, at: datetime = datetime(2026, 12, 4, tzinfo=UTC)) -> dict:
    return build_report(ReportInputs(config=config(), results_root=root, gate=ComplianceGate(), generated_at=at,
                                     as_of=at.date(), outputs={"nodeGroups": {KEY: {"amiId": AMI, "sourceAmiId": SOURCE}}},
                                     previous=previous))


def node_audit(log: str) -> dict:
    parsed = parse_result(log)
    return {"nodes": [{"node": NODE, "controls": parsed["document"]["controls"]}]}


def test_a_control_changed_on_the_node_after_the_build_is_drift_and_an_excepted_one_is_not(audits):
    build = {c["id"]: c for c in audits["build"]["controls"]}
    changed = {c["id"]: c for c in parse_result(audits["changed"])["document"]["controls"]}
    assert build["6.1.1"]["status"] == "pass" and changed["6.1.1"]["status"] == "fail"
    # the excepted control's state did change on the node, and it stays excepted
    assert build["3.2.1"]["status"] == changed["3.2.1"]["status"] == "excepted"
    assert build["3.2.1"]["detail"] != changed["3.2.1"]["detail"]

    entries = drift(audits["build"], node_audit(audits["changed"]))
    # a world-writable /etc/passwd fails its permission controls and the world-writable files check
    ids = [e["id"] for e in entries]
    assert "al2023:6.1.1" in ids and "al2023:3.2.1" not in ids
    improved = [e for e in entries if e["id"] == "al2023:6.1.7"]
    assert [(e["build"], e["live"], e["direction"], e["nodes"]) for e in improved] == [("fail", "pass", "improved",
                                                                                         [NODE])]
    assert all((e["build"], e["live"], e["direction"], e["nodes"]) == ("pass", "fail", "regressed", [NODE])
               for e in entries if e not in improved)
    assert all(changed[e["id"].split(":")[1]]["status"] == e["live"] for e in entries)
    assert drift(audits["build"], node_audit(audits["clean"])) == []
    excused = {e["id"].split(":")[1] for e in entries}
    assert drift(audits["build"], node_audit(audits["changed"]), excused=excused) == []


def test_the_report_shows_drift_fails_the_gate_and_diffs_new_and_resolved(audits, tmp_path):
    clean = report(results_tree(tmp_path / "clean", audits, audits["clean"]))
    [row] = clean["rows"]
    assert row["drift"] == [] and row["nodeAudit"]["nodes"] == 1 and "node-audit" in row["expected"]
    assert row["nodeAudit"]["oldestAuditHours"] == 0  # the fixture's audits ran after this report's fixed time
    later = report(tmp_path / "clean", at=datetime.now(UTC) + timedelta(days=4, hours=12))
    assert later["rows"][0]["nodeAudit"]["oldestAuditHours"] > 24 * 4
    assert "(the oldest audit " in render_markdown(later)
    assert not [f for f in row["gateFailures"] if "live nodes" in f]

    drifted = report(results_tree(tmp_path / "drifted", audits, audits["changed"]), previous=clean,
                     at=datetime(2026, 12, 5, tzinfo=UTC))
    [row] = drifted["rows"]
    assert ("al2023:6.1.1", [NODE]) in [(d["id"], d["nodes"]) for d in row["drift"]]
    assert any("passed in the AMI's build audit and fail on live nodes: al2023:6.1.1 on 1 node(s)" in f
               for f in row["gateFailures"])
    assert "al2023:6.1.7" in [d["id"] for d in row["drift"]]  # shown as improved, and not a gate failure
    assert not any("al2023:6.1.7" in f for f in row["gateFailures"] if "live nodes" in f)
    assert drifted["gate"]["passed"] is False
    [change] = drifted["diff"]["rows"]
    assert change["drift"]["resolved"] == [] and "al2023:6.1.1 pass→fail" in change["drift"]["new"]

    markdown = render_markdown(drifted)
    assert "## Drift of live nodes from their AMI's build audit" in markdown
    assert f"| {KEY} | al2023:6.1.1 |" in markdown and NODE in markdown
    assert "new drift on live nodes: al2023:6.1.1 pass→fail" in markdown
    html = render_html(drifted)
    assert "Drift of live nodes from their AMI" in html and NODE in html and 'class="s-fail"' in html

    fixed = report(results_tree(tmp_path / "fixed", audits, audits["clean"]), previous=drifted,
                   at=datetime(2026, 12, 6, tzinfo=UTC))
    assert fixed["diff"]["rows"][0]["drift"] == {"new": [], "resolved": change["drift"]["new"]}
    assert "resolved drift: al2023:6.1.1 pass→fail" in render_markdown(fixed)


def test_a_node_audit_of_another_profile_makes_the_row_unknown_instead_of_comparing(audits, tmp_path):
    root = results_tree(tmp_path, audits, audits["clean"])
    path = root / "dev/eks-optimized-al2023/level-1/node-audit.json"
    document = json.loads(path.read_text())
    document["nodes"][0]["profileDigest"] = "0" * 16
    path.write_text(json.dumps(document))
    [row] = report(root)["rows"]
    assert row["status"] == "unknown" and row["drift"] == []
    assert any("ran audit profile 0000000000000000" in r for r in row["unknownReasons"])


def test_a_missing_node_audit_leaves_the_row_unknown_only_when_the_stack_audits_nodes(audits, tmp_path):
    root = results_tree(tmp_path, audits, audits["clean"])
    (root / "dev/eks-optimized-al2023/level-1/node-audit.json").unlink()
    [row] = report(root)["rows"]
    assert any(r.startswith("node-audit result missing") for r in row["unknownReasons"])
    off = build_report(ReportInputs(config=config(nodeAudit=False), results_root=root, gate=ComplianceGate(),
                                    generated_at=datetime(2026, 12, 4, tzinfo=UTC), as_of=datetime(2026, 12, 4).date(),
                                    outputs={"nodeGroups": {KEY: {"amiId": AMI, "sourceAmiId": SOURCE}}}))
    assert "node-audit" not in off["rows"][0]["expected"]
    assert not any("node-audit" in r for r in off["rows"][0]["unknownReasons"])


def test_only_a_regression_fails_the_gate_and_an_older_report_has_no_drift():
    row = {"unknownReasons": [], "expected": [], "audit": None, "bottlerocket": None, "workloads": None,
           "inspector": None, "kubeBench": None,
           "drift": [{"id": "al2023:1.1.1", "title": "t", "build": "fail", "live": "pass", "direction": "improved",
                      "nodes": ["n1"]}]}
    assert evaluate_row(ComplianceGate(), row) == []
    row["drift"][0] |= {"build": "pass", "live": "fail", "direction": "regressed"}
    assert evaluate_row(ComplianceGate(), row) == [
        "1 control(s) passed in the AMI's build audit and fail on live nodes: al2023:1.1.1 on 1 node(s)"]
    assert drift_changes(None, row["drift"]) == {"new": ["al2023:1.1.1 pass→fail"], "resolved": []}

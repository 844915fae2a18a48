"""Render a report document as Markdown (run summary, pull requests) and as one HTML page.

Both show the same parts: the gate, one headline row per (pattern, level), what failed the gate by name
(each vulnerability past its due date, each control where Inspector disagrees with our audit), the excluded
controls with their reasons, what changed since the previous report, and the controls whose status differs
between node groups. The HTML page is
built with ElementTree and its HTML serializer, so every tag is closed and every value escaped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

STATUS_MARK = {"pass": "✅", "fail": "❌", "unknown": "❔"}
HEADLINE_COLUMNS = ("pattern", "level", "status", "AMI", "source AMI", "our audit", "Bottlerocket report",
                    "Inspector CIS", "CVEs", "kube-bench", "workload tests")
# Colour per status in the HTML page.
COLOURS = {
    "pass": "#c8efc8", "fail": "#f6b8b8", "unknown": "#e6e0a8", "manual": "#fbf0c0", "excepted": "#cfe0fa",
    "excluded": "#e4e4e4", "not-applicable": "#f2f2f2", "deferred": "#f9d3a6", "skip": "#f2f2f2",
    "warn": "#f9d3a6", "info": "#f2f2f2", "pending": "#e6e0a8", "error": "#f6b8b8", "none": "#ffffff",
}
_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}"
    "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#eee}"
    "code{font-size:90%}"
    + "".join(f".s-{name}{{background:{colour}}}" for name, colour in COLOURS.items())
)


# --- the numbers both formats show -------------------------------------------------------------


def _audit(row: Mapping[str, Any]) -> str:
    a = row["audit"]
    if a is None:
        return "—"
    return (f"{a['pass']} pass, {a['fail']} fail, {a['excepted']} excepted, {a['excluded']} excluded, "
            f"{a['manual']} manual" + (f", {a['deferred']} deferred" if a.get("deferred") else ""))


def _bottlerocket(row: Mapping[str, Any]) -> str:
    b = row["bottlerocket"]
    if b is None:
        return "—"
    return (f"{b['pass']} pass, {b['fail']} fail, {b['manual']} manual, {b['skip']} skip"
            + (f", {b['excepted']} excepted" if b["excepted"] else "")
            + (f", {b['excluded']} excluded" if b["excluded"] else "") + f" ({b['nodes']} nodes)")


def _inspector_cis(row: Mapping[str, Any]) -> str:
    i = row["inspector"]
    if i is None:
        return "—"
    if not i["cisSupported"]:
        return f"not supported by Inspector ({i['cisReason']})"
    if i["cis"] is None:
        return f"scan {i.get('cisStatus', 'incomplete')}"
    c = i["cis"]
    return f"{c['passed']} pass, {c['failed']} fail, {c['skipped']} skip" + (
        f"; {len(i['disagreements'])} disagree with our audit" if i["disagreements"] else "")


def _cves(row: Mapping[str, Any]) -> str:
    i = row["inspector"]
    if i is None:
        return "—"
    v = i["vulnerabilities"]
    return f"{v['CRITICAL']} critical, {v['HIGH']} high, {v['MEDIUM']} medium, {v['LOW']} low; {i['overdue']} overdue"


def _kube_bench(row: Mapping[str, Any]) -> str:
    k = row["kubeBench"]
    return "—" if k is None else f"{k['pass']} pass, {k['fail']} fail, {k['warn']} warn ({k['nodes']} nodes)"


def _workloads(row: Mapping[str, Any]) -> str:
    w = row["workloads"]
    if w is None:
        return "—"
    broken = w["fail"] + w["error"]
    return f"{w['pass']}/{w['total']} pass" + (f", {broken} failed" if broken else "") + (
        f", {w['pending']} pending" if w["pending"] else "")


def headline_cells(row: Mapping[str, Any]) -> list[str]:
    return [row["pattern"], str(row["level"]), row["status"], row["amiId"] or "—", row["sourceAmiId"] or "—",
            _audit(row), _bottlerocket(row), _inspector_cis(row), _cves(row), _kube_bench(row), _workloads(row)]


# What failed the gate, by name: the tables both formats show below the gate failures.
OVERDUE_COLUMNS = ("CVE", "packages", "node group", "severity", "due date")
DISAGREEMENT_COLUMNS = ("node group", "control", "title", "Inspector CIS", "our audit")
EXCLUSION_COLUMNS = ("benchmark", "control", "title", "reason")


def overdue_rows(report: Mapping[str, Any]) -> list[list[str]]:
    """Every vulnerability finding past its due date, per node group."""
    return [[v["id"], ", ".join(v.get("packages") or []) or "—", row["key"], v["severity"], v["dueDate"] or "—"]
            for row in report["rows"] for v in row["vulnerabilities"] if v["overdue"]]


def disagreement_rows(report: Mapping[str, Any]) -> list[list[str]]:
    """Every control where Inspector's CIS verdict and our build audit's disagree, per node group."""
    rows = []
    for row in report["rows"]:
        for d in (row["inspector"] or {}).get("disagreements", []):
            title = d.get("title") or row["controls"].get(f"{row['benchmark']}:{d['id']}", {}).get("title", "")
            rows.append([row["key"], d["id"], title, d["inspector"], d["audit"]])
    return rows


def exclusion_rows(report: Mapping[str, Any]) -> list[list[str]]:
    return [[e["benchmark"], e["id"], e["title"], e["reason"]] for e in report.get("exclusions", [])]


def named_sections(report: Mapping[str, Any]) -> list[tuple[str, str, tuple[str, ...], list[list[str]]]]:
    """(heading, text when empty, columns, rows) of the named tables; a section without rows is left out unless it
    has a text for empty (exclusions: "none" is worth saying)."""
    sections = [
        ("Vulnerabilities past their due date", "", OVERDUE_COLUMNS, overdue_rows(report)),
        ("Controls where Inspector CIS disagrees with our audit", "", DISAGREEMENT_COLUMNS, disagreement_rows(report)),
    ]
    if "exclusions" in report:
        sections.append(("Excluded controls", "None: every control of the selected levels is applied.",
                         EXCLUSION_COLUMNS, exclusion_rows(report)))
    return [section for section in sections if section[3] or section[1]]


def ignored_text(diff: Mapping[str, Any]) -> str:
    return f"a previous report exists but was not used ({diff['previousIgnored']})."


def change_lines(entry: Mapping[str, Any]) -> list[str]:
    """One line per change of a diff row, in plain text."""
    if entry["added"]:
        return ["new node group"]
    lines = []
    for name, label in (("status", "status"), ("sourceAmiId", "source AMI"), ("amiId", "AMI")):
        if entry[name]:
            lines.append(f"{label}: {entry[name]['from'] or '—'} → {entry[name]['to'] or '—'}")
    for control in entry["controls"]:
        lines.append(f"control {control['id']} ({control['title']}): {control['from'] or '—'} → {control['to'] or '—'}")
    checks, vulns = entry["inspectorChecks"], entry["vulnerabilities"]
    for label, ids in (("Inspector CIS newly failing", checks["newlyFailing"]), ("Inspector CIS fixed", checks["fixed"]),
                       ("new CVEs", vulns["new"]), ("resolved CVEs", vulns["resolved"]),
                       ("newly overdue CVEs", vulns["newlyOverdue"])):
        if ids:
            lines.append(f"{label}: {', '.join(ids)}")
    for test in entry["tests"]:
        lines.append(f"test {test['name']}: {test['from'] or '—'} → {test['to'] or '—'}")
    drift = entry.get("drift") or {}
    for label, keys in (("new drift on live nodes", drift.get("new")), ("resolved drift", drift.get("resolved"))):
        if keys:
            lines.append(f"{label}: {', '.join(keys)}")
    return lines


DRIFT_COLUMNS = ("node group", "control", "title", "build audit", "live nodes", "nodes")


def drift_rows(report: Mapping[str, Any]) -> list[list[str]]:
    """One table row per drifted control of a node group: what the AMI's build audit said, what the nodes say now."""
    return [[row["key"], entry["id"], entry["title"], entry["build"], entry["live"], ", ".join(entry["nodes"])]
            for row in report["rows"] for entry in row.get("drift") or []]


def drift_summary(report: Mapping[str, Any]) -> str:
    if not any("node-audit" in row["expected"] for row in report["rows"]):
        return ("Live nodes are not audited in this stack (hardened-eks:nodeAudit: false, or no node group runs an "
                "AMI built here).")
    audited = [row for row in report["rows"] if row.get("nodeAudit")]
    if not audited:
        return "No live node audit could be judged: see the unknown reasons of the node groups."
    nodes = sum(row["nodeAudit"]["nodes"] for row in audited)
    oldest = max(row["nodeAudit"].get("oldestAuditHours", 0) for row in audited)
    return (f"{nodes} live node(s) of {len(audited)} node group(s) audited with their AMI's audit (the oldest "
            f"audit {oldest} h before this report); "
            + ("every node matches its build audit." if not drift_rows(report) else
               "controls below differ from the build audit (build pass → live fail fails the gate)."))


def control_groups(report: Mapping[str, Any]) -> list[tuple[str, list[str], list[Mapping[str, Any]]]]:
    """Differing controls grouped by benchmark, each with only the node groups that report it."""
    groups: dict[str, tuple[list[str], list[Mapping[str, Any]]]] = {}
    order = [row["key"] for row in report["rows"]]
    for control in report["controls"]:
        benchmark = control["id"].split(":", 1)[0]
        keys, controls = groups.setdefault(benchmark, ([], []))
        keys.extend(k for k in control["statuses"] if k not in keys)
        controls.append(control)
    return [(benchmark, sorted(keys, key=order.index), controls) for benchmark, (keys, controls) in groups.items()]


# --- Markdown ---------------------------------------------------------------------------------


# Characters that start Markdown or HTML in GitHub-flavoured Markdown (raw HTML, links, images, emphasis, code,
# headings, entities, table cells). Text from result files is shown as text: each one is backslash-escaped.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~&#])")


def _md(text: str) -> str:
    """Text as Markdown shows it literally, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: Mapping[str, Any]) -> str:
    gate = report["gate"]
    verdict = "✅ passed" if gate["passed"] else f"❌ failed ({len(gate['failures'])} problem(s))"
    lines = [f"# Compliance report: stack `{report['stack']}`", "",
             f"Generated {report['generatedAt']} (due dates judged on {report['asOf']}); "
             f"Kubernetes {report.get('kubernetesVersion') or '—'}. **Compliance gate: {verdict}**", ""]
    rows = []
    for row in report["rows"]:
        cells = headline_cells(row)
        cells[2] = f"{STATUS_MARK[row['status']]} {row['status']}"
        rows.append(cells)
    lines += ["## Node groups", "", *_md_table(list(HEADLINE_COLUMNS), rows), ""]
    if gate["failures"]:
        lines += ["## Gate failures", "", *[f"- {_md(failure)}" for failure in gate["failures"]], ""]
    for heading, empty, columns, table in named_sections(report):
        lines += [f"## {heading}", "", *(_md_table(list(columns), table) if table else [empty]), ""]
    lines += _markdown_diff(report["diff"])
    lines += ["## Drift of live nodes from their AMI's build audit", "", _md(drift_summary(report)), ""]
    if drift_rows(report):
        lines += [*_md_table(list(DRIFT_COLUMNS), drift_rows(report)), ""]
    lines += ["## Controls that differ between node groups", ""]
    groups = control_groups(report)
    if not groups:
        lines += ["Every node group that reports a control reports the same status.", ""]
    for benchmark, keys, controls in groups:
        table = [[c["id"].split(":", 1)[1], c["title"], *[c["statuses"].get(k, "—") for k in keys]] for c in controls]
        lines += [f"### {benchmark}", "", *_md_table(["control", "title", *keys], table), ""]
    return "\n".join(lines)


def _markdown_diff(diff: Mapping[str, Any]) -> list[str]:
    if diff.get("previousIgnored"):
        return ["## Changes since the previous report", "", f"No diff: {_md(ignored_text(diff))}", ""]
    if diff["previousGeneratedAt"] is None:
        return ["## Changes since the previous report", "", "No previous report: this is the first.", ""]
    lines = ["## Changes since the previous report", "", f"Previous report: {_md(diff['previousGeneratedAt'])}.", ""]
    if not diff["rows"] and not diff["removedRows"]:
        lines += ["Nothing changed.", ""]
    for entry in diff["rows"]:
        lines += [f"### {entry['key']}", "", *[f"- {_md(line)}" for line in change_lines(entry)], ""]
    if diff["removedRows"]:
        lines += [f"Removed node groups: {_md(', '.join(diff['removedRows']))}", ""]
    return lines


# --- HTML -------------------------------------------------------------------------------------


def _cell(parent: ET.Element, tag: str, text: str, status: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    if status:
        element.set("class", f"s-{status}")
    return element


def _table(parent: ET.Element, header: list[str]) -> ET.Element:
    table = ET.SubElement(parent, "table")
    head = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    for name in header:
        _cell(head, "th", name)
    return ET.SubElement(table, "tbody")


def render_html(report: Mapping[str, Any]) -> str:
    html = ET.Element("html", {"lang": "en"})
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", {"charset": "utf-8"})
    ET.SubElement(head, "title").text = f"hardened-eks compliance report: {report['stack']}"
    ET.SubElement(head, "style").text = _CSS
    body = ET.SubElement(html, "body")
    ET.SubElement(body, "h1").text = f"Compliance report: stack {report['stack']}"
    gate = report["gate"]
    summary = ET.SubElement(body, "p")
    summary.text = (f"Generated {report['generatedAt']} (due dates judged on {report['asOf']}); "
                    f"Kubernetes {report.get('kubernetesVersion') or '—'}. ")
    _cell(summary, "strong", "Compliance gate: " + ("passed" if gate["passed"] else "failed"),
          "pass" if gate["passed"] else "fail")

    ET.SubElement(body, "h2").text = "Node groups"
    tbody = _table(body, list(HEADLINE_COLUMNS))
    for row in report["rows"]:
        tr = ET.SubElement(tbody, "tr", {"id": row["key"]})
        for index, text in enumerate(headline_cells(row)):
            _cell(tr, "td", text, row["status"] if index == 2 else None)
    if gate["failures"]:
        ET.SubElement(body, "h2").text = "Gate failures"
        failures = ET.SubElement(body, "ul")
        for failure in gate["failures"]:
            _cell(failures, "li", failure)
    for heading, empty, columns, table in named_sections(report):
        ET.SubElement(body, "h2").text = heading
        if not table:
            ET.SubElement(body, "p").text = empty
            continue
        tbody = _table(body, list(columns))
        for cells in table:
            tr = ET.SubElement(tbody, "tr")
            for text in cells:
                _cell(tr, "td", text)

    ET.SubElement(body, "h2").text = "Changes since the previous report"
    diff = report["diff"]
    if diff.get("previousIgnored"):
        ET.SubElement(body, "p").text = f"No diff: {ignored_text(diff)}"
    elif diff["previousGeneratedAt"] is None:
        ET.SubElement(body, "p").text = "No previous report: this is the first."
    elif not diff["rows"] and not diff["removedRows"]:
        ET.SubElement(body, "p").text = f"Nothing changed since {diff['previousGeneratedAt']}."
    else:
        ET.SubElement(body, "p").text = f"Previous report: {diff['previousGeneratedAt']}."
        tbody = _table(body, ["node group", "change"])
        for entry in diff["rows"]:
            for line in change_lines(entry):
                tr = ET.SubElement(tbody, "tr")
                _cell(tr, "td", entry["key"])
                _cell(tr, "td", line, _change_status(line))
        for key in diff["removedRows"]:
            tr = ET.SubElement(tbody, "tr")
            _cell(tr, "td", key)
            _cell(tr, "td", "node group removed")

    ET.SubElement(body, "h2").text = "Drift of live nodes from their AMI's build audit"
    ET.SubElement(body, "p").text = drift_summary(report)
    if drift_rows(report):
        tbody = _table(body, list(DRIFT_COLUMNS))
        for cells in drift_rows(report):
            tr = ET.SubElement(tbody, "tr")
            for index, text in enumerate(cells):
                _cell(tr, "td", text, text if index in (3, 4) else None)

    ET.SubElement(body, "h2").text = "Controls that differ between node groups"
    groups = control_groups(report)
    if not groups:
        ET.SubElement(body, "p").text = "Every node group that reports a control reports the same status."
    for benchmark, keys, controls in groups:
        ET.SubElement(body, "h3").text = benchmark
        tbody = _table(body, ["control", "title", *keys])
        for control in controls:
            tr = ET.SubElement(tbody, "tr")
            _cell(tr, "td", control["id"].split(":", 1)[1])
            _cell(tr, "td", control["title"])
            for key in keys:
                status = control["statuses"].get(key)
                _cell(tr, "td", status or "—", status or "none")
    ET.indent(html)
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html") + "\n"


def _change_status(line: str) -> str | None:
    """Colour a change line by where it ends up."""
    last = line.rsplit("→ ", 1)[-1].strip() if "→" in line else ""
    if last in COLOURS:
        return last
    if line.startswith(("new CVEs", "newly overdue", "Inspector CIS newly failing", "new drift")):
        return "fail"
    if line.startswith(("resolved CVEs", "Inspector CIS fixed", "resolved drift")):
        return "pass"
    return None

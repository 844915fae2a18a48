"""Drift: where a live node's audit disagrees with the build audit of the AMI it was launched from.

Both audits are our own rendered `cis-harden.sh` of the same profile (same benchmark, level, exclusions
and IP family: the node audit checks that its profile digest is the build's), so a control that
passed when the AMI was built and fails on a running node (or the reverse) changed on that node after
the build: user data, bootstrap, the kubelet's configuration, a DaemonSet writing to the host, a person.

Only automated verdicts are compared: `pass` against `fail`. `excepted` and `excluded` controls keep
that status in both audits and are never drift (nor is anything the caller says is excused); `manual`,
`not-applicable` and `deferred` are not verdicts about the node's configuration. A node audit runs
against the host mounted read-only (`--root /host`), so checks that need the running system are
deferred there, never counted as drift.

Pure functions: documents in, drift entries out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

COMPARED = ("pass", "fail")
REGRESSED = "regressed"  # passed in the build audit, fails on the node
IMPROVED = "improved"  # failed in the build audit, passes on the node


def _control_key(control_id: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in control_id.split("."))


def drift(build_audit: Mapping[str, Any], node_audit: Mapping[str, Any],
          excused: Collection[str] = ()) -> list[dict[str, Any]]:
    """One entry per (control, status on the node) that differs from the build audit, with the nodes showing it.

    `excused`: control ids (unqualified) the stack excludes or excepts now; never reported as drift.
    Entries: id (benchmark-qualified), title, build (status), live (status), direction, nodes (sorted)."""
    benchmark = build_audit["benchmark"]
    built = {control["id"]: control for control in build_audit["controls"]}
    found: dict[tuple[str, str], set[str]] = {}
    for node in node_audit["nodes"]:
        for control in node["controls"]:
            before = built.get(control["id"])
            if before is None or control["id"] in excused:
                continue
            if before["status"] in COMPARED and control["status"] in COMPARED and before["status"] != control["status"]:
                found.setdefault((control["id"], control["status"]), set()).add(node["node"])
    entries = []
    for (control_id, live), nodes in sorted(found.items(), key=lambda item: (_control_key(item[0][0]), item[0][1])):
        before = built[control_id]
        entries.append({"id": f"{benchmark}:{control_id}", "title": before["title"], "build": before["status"],
                        "live": live, "direction": REGRESSED if live == "fail" else IMPROVED,
                        "nodes": sorted(nodes)})
    return entries


def drift_key(entry: Mapping[str, Any]) -> str:
    """How one drift entry is named in a diff between reports: `<id> <build>→<live>`."""
    return f"{entry['id']} {entry['build']}→{entry['live']}"


def drift_changes(before: list[Mapping[str, Any]] | None, now: list[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Drift that is new since the previous report and drift that was resolved (the node matches its build again,
    or the node is gone). A previous report without drift (older than node audits) counts as none."""
    old = {drift_key(entry) for entry in before or []}
    new = {drift_key(entry) for entry in now}
    return {"new": sorted(new - old), "resolved": sorted(old - new)}

"""The catalogue: a faithful copy of the benchmark list, every automated control of the finished sections
met or excepted, scenarios for each, and the full set of EKS exceptions pinned."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from hardening.catalog import families, load_catalog, load_exceptions, summarize
from tests.hardening.harness import scenarios

SHARED_CIS = Path(__file__).resolve().parents[3] / "shared" / "cis"
FINISHED_SECTIONS = {"al2023": {"1", "2", "3", "4", "5", "6"}}  # sections whose every automated control must be met

# Every exception, by benchmark and control id. Adding one means adding it here, with a source.
PINNED_EXCEPTIONS = {
    ("al2023", "3.2.1"): "eks-ip-forwarding",
    ("al2023", "3.4.2.7"): "eks-host-firewall-default-deny",
    ("al2023", "1.6.1.6"): "eks-unconfined-node-agents",
    ("al2023", "3.3.9"): "eks-ipv6-router-advertisements",
    ("al2", "1.5.1.6"): "eks-unconfined-node-agents",
    ("al2", "5.2.2.3"): "eks-al2-audit-full-keeps-node-running",
    ("al2", "5.2.2.4"): "eks-al2-audit-full-keeps-node-running",
    ("al2023", "4.6.6"): "eks-no-shared-root-password",
    ("al2", "4.5.2.4"): "eks-no-shared-root-password",
    ("al2", "4.3.4"): "eks-passwordless-sudo-for-keyless-admins",
    ("al2023", "5.2.2.3"): "eks-audit-full-keeps-node-running",
    ("al2", "3.3.1"): "eks-ip-forwarding",
    ("al2", "3.3.11"): "eks-ipv6-router-advertisements",
    ("al2", "3.4.2.1"): "eks-al2-iptables-is-the-firewall-utility",
    ("al2", "3.4.2.2"): "eks-al2-iptables-is-the-firewall-utility",
    ("al2", "3.4.3.1"): "eks-al2-iptables-is-the-firewall-utility",
    ("al2", "3.4.3.3"): "eks-al2-iptables-is-the-firewall-utility",
    ("al2", "3.4.3.4"): "eks-al2-iptables-is-the-firewall-utility",
    ("al2", "3.4.3.5"): "eks-al2-iptables-is-the-firewall-utility",
    ("al2", "3.4.3.7"): "eks-al2-iptables-is-the-firewall-utility",
    ("al2", "3.4.3.8"): "eks-al2-iptables-is-the-firewall-utility",
    ("al2", "3.4.3.9"): "eks-al2-iptables-is-the-firewall-utility",
    ("al2", "3.4.4.2.4"): "eks-al2-iptables-default-deny",
    ("al2", "3.4.4.3.4"): "eks-al2-iptables-default-deny",
}


@pytest.mark.skipif(not SHARED_CIS.is_dir(), reason="benchmark lists are not present (../shared/cis)")
@pytest.mark.parametrize("benchmark, tsv", [("al2023", "al2023-v1.0.0.tsv")])
def test_catalogue_matches_benchmark_list(benchmark, tsv):
    with (SHARED_CIS / tsv).open(newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    expected = {r["id"]: (re.sub(r"\s*\((Automated|Manual)\)$", "", r["title"]), int(r["level"]), r["assessment"])
                for r in rows}
    actual = {c.id: (c.title, c.level, c.assessment) for c in load_catalog(benchmark)}
    assert actual == expected


def test_exceptions_are_pinned():
    found = {(b, cid): e.key for e in load_exceptions() for b, ids in e.controls.items() for cid in ids}
    assert found == PINNED_EXCEPTIONS
    for e in load_exceptions():
        assert e.sources and e.reason and e.compensating


@pytest.mark.parametrize("benchmark", sorted(FINISHED_SECTIONS))
def test_finished_sections_are_complete(benchmark):
    by_control: dict[str, set[str]] = {}
    for s in scenarios(benchmark):
        by_control.setdefault(s.control, set()).add(s.expect)
    missing = []
    for c in load_catalog(benchmark):
        if c.section not in FINISHED_SECTIONS[benchmark] or c.assessment == "manual":
            continue
        excepted_everywhere = any(set(e.ip_families) == {"ipv4", "ipv6"} for e in c.exceptions)
        if not (c.family or c.custom or excepted_everywhere):
            missing.append(f"{c.id}: not implemented")
        seen = by_control.get(c.id, set())
        if excepted_everywhere:
            if "excepted" not in seen:
                missing.append(f"{c.id}: no scenario showing it excepted")
        elif not {"fail", "pass"} <= seen:
            missing.append(f"{c.id}: needs a .fail and a .pass scenario (has {sorted(seen)})")
    assert missing == []


def test_every_family_is_used_and_documented():
    used = {c.family for c in load_catalog("al2023") if c.family}
    for name, family in families().items():
        assert family.params, name
        assert name in used or name in {"package_absent"}, f"family {name} is unused"


def test_summarize_counts_honestly():
    l1 = summarize("al2023", 1)
    l2 = summarize("al2023", 2)
    assert sum(l2.values()) == 243 and sum(l1.values()) == 179
    assert l2["excepted"] == 5  # ipv4: forwarding, default deny, unconfined services, root password, audit full
    assert summarize("al2023", 2, ip_family="ipv6")["excepted"] == 6
    assert summarize("al2023", 2, excluded=["1.1.3.1"])["excluded"] == 1
    applied = [c for c in load_catalog("al2023") if c.family or c.custom]
    assert l2["applied"] == len([c for c in applied if not c.exception_for("ipv4", "al2023")])

"""CIS Amazon Linux 2 v3.0.0 sections 3 (network) and 6 (system maintenance): completeness, the exceptions by IP
family, and an AL2 EKS node that still works after a level-2 apply of both sections: forwarding kept, kubelet
10250 accepted with ACCEPT chain policies, kube-proxy's chains never flushed by the firewall services, container
and kubelet state untouched by the file-system scans."""

from __future__ import annotations

import os
import stat

import pytest

from hardening.catalog import load_catalog
from tests.hardening.harness import apply, audit, make_root, scenarios, script_path
from tests.hardening.test_eks_invariants import effective_sysctl, modprobe_blocks

SECTIONS = {"3", "6"}
SECTION_IDS = tuple(c.id for c in load_catalog("al2") if c.section in SECTIONS)
NODE_EXECUTABLES = ("etc/eks/bootstrap.sh", "usr/bin/kubelet", "usr/bin/containerd", "usr/bin/runc",
                    "usr/bin/containerd-shim-runc-v2", "opt/cni/bin/aws-cni", "usr/bin/amazon-ssm-agent")
# Workload state the scans must leave alone: (path, mode, uid) as a pod or an image left it.
WORKLOAD_STATE = (
    ("var/lib/kubelet/pods/7f3c/volumes/kubernetes.io~empty-dir/cache", 0o777, 0),
    ("var/lib/docker/overlay2/abc/diff/app", 0o755, 1337),
    ("var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/9/fs/tmp", 0o777, 0),
)


def test_al2_sections_3_and_6_are_complete():
    by_control: dict[str, set[str]] = {}
    for s in scenarios("al2"):
        by_control.setdefault(s.control, set()).add(s.expect)
    missing = []
    for c in load_catalog("al2"):
        if c.section not in SECTIONS or c.assessment == "manual":
            continue
        excepted = {f for f in ("ipv4", "ipv6") if c.exception_for(f, "al2")}
        if not (c.family or c.custom or excepted == {"ipv4", "ipv6"}):
            missing.append(f"{c.id}: not implemented")
        seen = by_control.get(c.id, set())
        if excepted and "excepted" not in seen:
            missing.append(f"{c.id}: no scenario showing it excepted")
        if excepted != {"ipv4", "ipv6"} and not {"fail", "pass"} <= seen:
            missing.append(f"{c.id}: needs a .fail and a .pass scenario (has {sorted(seen)})")
    assert missing == []


def test_al2_manual_controls_of_sections_3_and_6_are_reported_manual():
    manual = {c.id for c in load_catalog("al2") if c.section in SECTIONS and c.assessment == "manual"}
    assert manual == {"3.1.1", "3.4.2.3", "3.4.2.4", "3.4.3.2", "3.4.3.6", "3.4.4.2.3", "3.4.4.3.3", "6.1.13",
                      "6.1.14"}


def test_al2_exceptions_follow_the_ip_family():
    by_family = {f: {c.id for c in load_catalog("al2") if c.section in SECTIONS and c.exception_for(f, "al2")}
                 for f in ("ipv4", "ipv6")}
    firewall_subsections = {"3.4.2.1", "3.4.2.2", "3.4.3.1", "3.4.3.3", "3.4.3.4", "3.4.3.5", "3.4.3.7", "3.4.3.8",
                            "3.4.3.9"}
    common = {"3.3.1", "3.4.4.2.4", "3.4.4.3.4"} | firewall_subsections
    assert by_family["ipv4"] == common
    assert by_family["ipv6"] == common | {"3.3.11"}  # router advertisements give IPv6 nodes their default route


def _shape_node(root):
    """Workload state, and a firewalld the image builder left enabled (3.4.1.2 must mask it)."""
    for rel, mode, uid in WORKLOAD_STATE:
        path = root / rel
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, uid, uid)
        path.chmod(mode)
    unit = root / "usr/lib/systemd/system/firewalld.service"
    unit.write_text("[Unit]\nDescription=firewalld\n[Install]\nWantedBy=multi-user.target\n")
    (root / "etc/systemd/system/multi-user.target.wants/firewalld.service").symlink_to(
        "/usr/lib/systemd/system/firewalld.service")


def _filter_table(text: str) -> list[str]:
    lines, table = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("*"):
            table = line[1:]
        elif table == "filter" and line and not line.startswith("#"):
            lines.append(line)
    return lines


@pytest.mark.parametrize("ip_family", ["ipv4", "ipv6"])
def test_level2_apply_of_sections_3_and_6_keeps_an_al2_eks_node_working(tmp_path, ip_family):
    root = make_root(tmp_path, "al2-eks-node")
    _shape_node(root)
    script = script_path("al2", 2, ip_family)
    result = apply(script, root, *SECTION_IDS)
    assert {s for s, _ in result.values()} <= {"pass", "fixed", "manual", "excepted", "not-applicable"}, result
    after = audit(script, root, *SECTION_IDS)
    assert {c["status"] for c in after.values()} <= {"pass", "manual", "excepted", "not-applicable"}
    assert after["3.3.11"]["status"] == ("excepted" if ip_family == "ipv6" else "pass")

    # Pod networking: forwarding and bridge netfilter stay on; in IPv6 clusters RAs are not turned off.
    assert effective_sysctl(root, "net.ipv4.ip_forward") == "1"
    assert effective_sysctl(root, "net.bridge.bridge-nf-call-iptables") == "1"
    if ip_family == "ipv6":
        assert effective_sysctl(root, "net.ipv6.conf.all.accept_ra") is None
    for module in ("overlay", "br_netfilter"):
        assert modprobe_blocks(root, module) == []

    # Firewall: iptables only; policies ACCEPT (pod traffic is forwarded); kubelet 10250 accepted before any drop.
    assert str((root / "etc/systemd/system/firewalld.service").readlink()) == "/dev/null"
    for name in ("iptables", "ip6tables"):
        table = _filter_table((root / "etc/sysconfig" / name).read_text())
        assert {":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"} <= set(table), name
        kubelet = table.index("-A INPUT -p tcp -m tcp --dport 10250 -j ACCEPT")
        drops = [i for i, line in enumerate(table) if line.endswith(("-j DROP", "-j REJECT")) and " -s " not in line]
        assert all(i > kubelet for i in drops), table
        assert not any(line.startswith("-A FORWARD") for line in table), "pod traffic must not be filtered"
        # Stop and reload of the services must not run iptables.init (which flushes kube-proxy's chains).
        dropin = (root / f"etc/systemd/system/{name}.service.d/10-eks-node-safe.conf").read_text()
        assert "ExecStop=\n" in dropin and "ExecReload=\n" in dropin
        assert (root / f"etc/systemd/system/basic.target.wants/{name}.service").is_symlink()
    # The EKS AMI's own restore service stays enabled (it resets Docker's FORWARD DROP after the runtime starts).
    wants = root / "etc/systemd/system/multi-user.target.wants"
    for unit in ("iptables-restore.service", "kubelet.service", "containerd.service", "amazon-ssm-agent.service"):
        assert (wants / unit).is_symlink(), unit
        masked = root / "etc/systemd/system" / unit
        assert not (masked.is_symlink() and str(masked.readlink()) == "/dev/null"), unit

    # Scans: workload state untouched; node binaries still executable; accounts still usable.
    for rel, mode, uid in WORKLOAD_STATE:
        st = (root / rel).stat()
        assert (stat.S_IMODE(st.st_mode), st.st_uid) == (mode, uid), rel
    for path in NODE_EXECUTABLES:
        assert (root / path).stat().st_mode & 0o111 == 0o111, path
    home = (root / "home/ec2-user").stat()
    assert home.st_uid == 1000 and stat.S_IMODE(home.st_mode) & 0o027 == 0
    assert (root / "etc/passwd").read_text().count("\nec2-user:") == 1

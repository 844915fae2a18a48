"""CIS Amazon Linux 2 v3.0.0 sections 1 and 2: the catalogue copy against the benchmark list, completeness, and
an AL2 EKS node that still works after a level-2 apply of both sections."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from hardening.catalog import CATALOG_DIR, load_catalog
from tests.hardening.harness import apply, make_root, scenarios, script_path
from tests.hardening.test_eks_invariants import effective_sysctl, fstab_entries, modprobe_blocks

SHARED_CIS = Path(__file__).resolve().parents[3] / "shared" / "cis"
SECTIONS = {"1", "2"}
STATE_DIRS = ("/var/lib/containerd", "/var/lib/docker", "/var/lib/kubelet")
NODE_EXECUTABLES = ("etc/eks/bootstrap.sh", "usr/bin/kubelet", "usr/bin/containerd", "usr/bin/runc",
                    "usr/bin/containerd-shim-runc-v2", "opt/cni/bin/aws-cni")


@pytest.mark.skipif(not SHARED_CIS.is_dir(), reason="benchmark lists are not present (../shared/cis)")
def test_al2_catalogue_differs_from_the_list_only_where_a_note_says_why():
    with (SHARED_CIS / "al2-v3.0.0.tsv").open(newline="") as f:
        listed = {r["id"]: (r["title"], int(r["level"]), r["assessment"]) for r in csv.DictReader(f, delimiter="\t")}
    copy = yaml.safe_load((CATALOG_DIR / "al2.yaml").read_text())["controls"]
    ours = {str(c["id"]): (c["title"], int(c["level"]), c["assessment"]) for c in copy}
    noted = {str(c["id"]) for c in copy if c.get("note")}
    assert set(ours) == set(listed)
    differing = {cid for cid in ours if ours[cid] != listed[cid]}
    assert differing == noted, "every difference from the list needs a note, and every note a difference"


def test_al2_sections_1_and_2_are_complete():
    by_control: dict[str, set[str]] = {}
    for s in scenarios("al2"):
        by_control.setdefault(s.control, set()).add(s.expect)
    missing = []
    for c in load_catalog("al2"):
        if c.section not in SECTIONS or c.assessment == "manual":
            continue
        excepted_everywhere = all(c.exception_for(f, "al2") for f in ("ipv4", "ipv6"))
        if not (c.family or c.custom or excepted_everywhere):
            missing.append(f"{c.id}: not implemented")
        seen = by_control.get(c.id, set())
        if excepted_everywhere:
            if "excepted" not in seen:
                missing.append(f"{c.id}: no scenario showing it excepted")
        elif not {"fail", "pass"} <= seen:
            missing.append(f"{c.id}: needs a .fail and a .pass scenario (has {sorted(seen)})")
    assert missing == []


def test_al2_manual_controls_of_sections_1_and_2_are_reported_manual():
    manual = {c.id for c in load_catalog("al2") if c.section in SECTIONS and c.assessment == "manual"}
    assert manual == {"1.2.1", "1.2.3", "1.2.4", "1.2.5", "2.2.22"}


@pytest.mark.parametrize("volumes", [False, True], ids=["root-volume-only", "separate-volumes"])
def test_level2_apply_of_sections_1_and_2_keeps_an_al2_eks_node_working(tmp_path, volumes):
    root = make_root(tmp_path, "al2-eks-node")
    if volumes:  # what apply --volume leaves in fstab on the build instance
        with (root / "etc/fstab").open("a") as f:
            for i, mp in enumerate(("/home", "/var", "/var/tmp", "/var/log", "/var/log/audit")):
                f.write(f"UUID=00000000-0000-4000-8000-00000000000{i} {mp} xfs defaults 0 2\n")
    ids = [c.id for c in load_catalog("al2") if c.section in SECTIONS]
    result = apply(script_path("al2", 2), root, *ids)
    assert result["1.5.1.6"][0] == "excepted"
    assert result["2.2.12"][0] == "fixed"  # rpcbind masked
    assert {s for s, _ in result.values()} <= {"pass", "fixed", "deferred", "manual", "excepted", "not-applicable"}

    # Pod networking: the EKS AMI's forwarding and bridge settings survive.
    assert effective_sysctl(root, "net.ipv4.ip_forward") == "1"
    assert effective_sysctl(root, "net.bridge.bridge-nf-call-iptables") == "1"
    # containerd and kube-proxy modules stay loadable.
    for module in ("overlay", "br_netfilter"):
        assert modprobe_blocks(root, module) == []
    # Runtime and kubelet state never on a noexec mount; /tmp is.
    entries = fstab_entries(root)
    for entry in entries:
        mp, opts = entry[1], entry[3].split(",")
        if mp != "/" and any(d == mp or d.startswith(mp.rstrip("/") + "/") for d in STATE_DIRS):
            assert "noexec" not in opts, entry
    tmp_enabled = root / "etc/systemd/system/local-fs.target.wants/tmp.mount"
    assert tmp_enabled.is_symlink()
    assert "noexec" in (root / "etc/systemd/system/tmp.mount.d/99-zz-cis-hardening.conf").read_text()
    if volumes:
        var = next(e for e in entries if e[1] == "/var")
        assert {"nodev", "nosuid"} <= set(var[3].split(",")) and "noexec" not in var[3]
    # Node executables stay executable; node services stay enabled and unmasked.
    for path in NODE_EXECUTABLES:
        assert (root / path).stat().st_mode & 0o111 == 0o111, path
    wants = root / "etc/systemd/system/multi-user.target.wants"
    for unit in ("amazon-ssm-agent.service", "kubelet.service", "containerd.service", "chronyd.service",
                 "sandbox-image.service", "iptables-restore.service"):
        assert (wants / unit).is_symlink(), unit
        masked = root / "etc/systemd/system" / unit
        assert not (masked.is_symlink() and str(masked.readlink()) == "/dev/null"), unit
    # nfs-utils' client stays usable for EFS/NFS volumes: only the server and rpcbind are masked.
    assert str((root / "etc/systemd/system/rpcbind.socket").readlink()) == "/dev/null"


# ---- 1.5.1.5 on a running AL2 node whose kernel has SELinux disabled (issue 18, item 3) ------------------------
def _selinux_live_run(tmp_path, getenforce: str, configured: str):
    """he_selinux_enforcing apply as on a running AL2 node, with the node's commands replaced by stubs that record
    their arguments (files still go under a scratch root)."""
    import subprocess

    from tests.hardening.harness import BASH

    root = make_root(tmp_path, "al2-eks-node")
    (root / "etc/selinux/config").write_text((root / "etc/selinux/config").read_text()
                                             .replace("SELINUX=permissive", f"SELINUX={configured}"))
    stubs, log = tmp_path / "stubs", tmp_path / "calls.log"
    stubs.mkdir()
    for name in ("amazon-linux-extras", "yum", "restorecon", "setenforce"):
        (stubs / name).write_text(f'#!/bin/sh\necho "{name} $*" >> {log}\n')
        (stubs / name).chmod(0o755)
    (stubs / "getenforce").write_text(f"#!/bin/sh\necho {getenforce}\n")
    (stubs / "getenforce").chmod(0o755)
    script = script_path("al2", 2)
    program = (f"set -Eeuo pipefail; source <(sed '$d' {script}); HE_ROOT={root}; HE_LIVE=1; HE_CURRENT=1.5.1.5; "
               "he_selinux_enforcing apply; printf 'defer=%s\\n' \"$HE_DEFER_REASON\"")
    env = {"PATH": f"{stubs}:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"}
    proc = subprocess.run([BASH, "-c", program], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    calls = log.read_text().splitlines() if log.exists() else []
    return root, proc.stdout, calls


def test_al2_enforcing_from_disabled_enables_selinux_ng_and_schedules_a_relabel(tmp_path):
    root, out, calls = _selinux_live_run(tmp_path, "Disabled", "disabled")
    assert calls[:2] == ["amazon-linux-extras enable selinux-ng", "yum clean metadata"], calls
    assert "yum -y -q install container-selinux" in calls
    assert calls.index("amazon-linux-extras enable selinux-ng") < calls.index("yum -y -q install container-selinux")
    assert not [c for c in calls if c.startswith(("setenforce", "restorecon"))], "they fail while SELinux is off"
    assert (root / ".autorelabel").exists()
    assert "SELINUX=enforcing" in (root / "etc/selinux/config").read_text()
    assert "next boot" in out and "/.autorelabel" in out


def test_al2_enforcing_from_permissive_sets_enforce_now(tmp_path):
    root, out, calls = _selinux_live_run(tmp_path, "Permissive", "permissive")
    assert "setenforce 1" in calls and any(c.startswith("restorecon -R") for c in calls)
    assert "defer=\n" in out and not (root / ".autorelabel").exists()


@pytest.mark.parametrize("benchmark, tool", [("al2", "yum"), ("al2023", "dnf")])
def test_deferred_package_steps_name_the_nodes_package_manager(tmp_path, benchmark, tool):
    from tests.hardening.harness import run_functions

    root = make_root(tmp_path, "al2-eks-node" if benchmark == "al2" else "al2023-eks-node")
    out = run_functions(script_path(benchmark, 2), root, "HE_LIVE=0; he_fam_package_installed apply aide "
                        "/usr/sbin/aide; printf '%s\\n' \"$HE_DEFER_REASON\"")
    assert out.strip() == f"installing aide needs {tool} on a running system"

"""EKS must keep working after a level-2 apply: checked with readers independent of the script's own.

Forwarding stays on, kubelet 10250 stays reachable, container and kubelet state is never on a noexec mount,
node binaries stay executable, overlay and br_netfilter stay loadable, the SSM agent stays enabled, and the
VPC CNI's loose rp_filter on interfaces survives.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.hardening.harness import apply, make_root, script_path

STATE_DIRS = ("/var/lib/containerd", "/var/lib/kubelet")
NODE_BINARIES = ("usr/bin/nodeadm", "usr/bin/kubelet", "usr/bin/containerd", "opt/cni/bin/aws-cni")


def sysctl_files(root: Path) -> list[Path]:
    seen: dict[str, Path] = {}
    for d in ("etc", "run", "usr/local/lib", "usr/lib"):
        for f in sorted((root / d / "sysctl.d").glob("*.conf")):
            seen.setdefault(f.name, f)
    files = [seen[n] for n in sorted(seen)]
    if (root / "etc/sysctl.conf").exists() and not any(f.resolve() == (root / "etc/sysctl.conf") for f in files):
        files.append(root / "etc/sysctl.conf")
    return files


def effective_sysctl(root: Path, key: str) -> str | None:
    value = None
    for f in sysctl_files(root):
        for line in f.read_text().splitlines():
            line = line.strip().lstrip("-")
            if not line or line[0] in "#;" or "=" not in line:
                continue
            k, v = (p.strip() for p in line.split("=", 1))
            if k.replace("/", ".") == key:
                value = v
    return value


def modprobe_blocks(root: Path, module: str) -> list[str]:
    hits = []
    for d in ("etc", "run", "usr/lib"):
        for f in (root / d / "modprobe.d").glob("*.conf"):
            for line in f.read_text().splitlines():
                words = line.split()
                if len(words) >= 2 and words[0] in ("install", "blacklist") and words[1].replace("-", "_") == module:
                    hits.append(f"{f}: {line}")
    return hits


def fstab_entries(root: Path) -> list[list[str]]:
    return [ln.split() for ln in (root / "etc/fstab").read_text().splitlines()
            if ln.strip() and not ln.lstrip().startswith("#") and len(ln.split()) >= 4]


def nft_texts(root: Path) -> list[str]:
    return [p.read_text() for p in [root / "etc/sysconfig/nftables.conf", *sorted((root / "etc/nftables").glob("*.nft"))]
            if p.exists()]


def with_volumes(root: Path) -> None:
    """The build attached and formatted the separate volumes (what apply --volume leaves in fstab)."""
    with (root / "etc/fstab").open("a") as f:
        for i, mp in enumerate(("/var", "/var/tmp", "/var/log", "/var/log/audit", "/home")):
            f.write(f"UUID=00000000-0000-4000-8000-00000000000{i} {mp} xfs defaults 0 2\n")


@pytest.mark.parametrize("ip_family", ["ipv4", "ipv6"])
@pytest.mark.parametrize("volumes", [False, True], ids=["root-volume-only", "separate-volumes"])
def test_level2_apply_keeps_eks_working(tmp_path, ip_family, volumes):
    root = make_root(tmp_path)
    if ip_family == "ipv6":
        with (root / "etc/sysctl.d/99-kubernetes-cri.conf").open("a") as f:
            f.write("net.ipv6.conf.all.forwarding = 1\n")
    if volumes:
        with_volumes(root)
    result = apply(script_path("al2023", 2, ip_family), root)
    assert result["3.2.1"][0] == "excepted"

    # Pod networking: forwarding stays on.
    assert effective_sysctl(root, "net.ipv4.ip_forward") == "1"
    if ip_family == "ipv6":
        assert effective_sysctl(root, "net.ipv6.conf.all.forwarding") == "1"
        assert result["3.3.9"][0] == "excepted"  # router advertisements give IPv6 nodes their default route
    else:  # the exception concerns IPv4 forwarding only on an ipv4 render: IPv6 forwarding is pinned off
        assert effective_sysctl(root, "net.ipv6.conf.all.forwarding") == "0"
    # rp_filter: strict on all/default, but interfaces (ENIs the VPC CNI adds) keep systemd's loose glob.
    assert effective_sysctl(root, "net.ipv4.conf.all.rp_filter") == "1"
    # 50-default.conf's explicit default = 2 is shadowed by a same-named /etc copy (issue 18): the copy keeps
    # the glob active, so every interface stays loose.
    effective_50 = next(f for f in sysctl_files(root) if f.name == "50-default.conf")
    assert re.search(r"^net\.ipv4\.conf\.\*\.rp_filter = 2$", effective_50.read_text(), re.M), effective_50
    for f in sysctl_files(root):
        assert not re.search(r"^\s*net\.ipv4\.conf\.(eth|ens|eni)\S*\.rp_filter", f.read_text(), re.M), f

    # Container runtime: overlay and br_netfilter stay loadable.
    for module in ("overlay", "br_netfilter"):
        assert modprobe_blocks(root, module) == []

    # State dirs never on a noexec mount; node binaries executable.
    for entry in fstab_entries(root):
        mp, opts = entry[1], entry[3].split(",")
        if any(d == mp or d.startswith(mp.rstrip("/") + "/") for d in STATE_DIRS) and mp != "/":
            assert "noexec" not in opts, entry
    if volumes:
        var = next(e for e in fstab_entries(root) if e[1] == "/var")
        assert {"nodev", "nosuid"} <= set(var[3].split(","))  # the documented /var decision is applied
    for binary in NODE_BINARIES:
        assert (root / binary).stat().st_mode & 0o111 == 0o111, binary

    # kubelet 10250 reachable: no rule drops it, and any drop policy on input is preceded by an accept.
    for text in nft_texts(root):
        assert not re.search(r"^\s*flush\s+ruleset", text, re.M), "flush ruleset would wipe kube-proxy's rules"
        assert not re.search(r"10250[^\n]*(drop|reject)", text)
        for chain in re.findall(r"hook input[^}]*", text):
            if "policy drop" in chain:
                assert "tcp dport 10250 accept" in chain
        assert "policy drop" not in text  # 3.4.2.7 is an EKS exception
    dropin = (root / "etc/systemd/system/nftables.service.d/10-eks-node-safe.conf").read_text()
    assert not re.search(r"^Exec\S*=.*flush", dropin, re.M) and "ExecStop=\n" in dropin

    # Access through SSM stays: the agent is enabled and not masked.
    assert (root / "etc/systemd/system/multi-user.target.wants/amazon-ssm-agent.service").is_symlink()
    assert not (root / "etc/systemd/system/amazon-ssm-agent.service").exists()

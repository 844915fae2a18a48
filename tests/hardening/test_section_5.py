"""Section 5 (logging and auditing) of AL2023 on a whole node, with readers independent of the script's own.

Per-control behaviour is covered by the scenarios under scenarios/al2023/section_5/; here: a full level-2 apply
of the section on an EKS node (and on one shaped like a CIS-built image) leaves auditd unable to stop the node,
loads rules augenrules would accept, is idempotent and audits clean; `--set` is validated before anything
changes; the architecture decides the syscall lists; 5.2.3.6 shares the full-file-system pass of section 6.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from hardening.catalog import CATALOG_DIR, load_catalog
from tests.hardening.harness import BASH, SCENARIOS, audit, make_root, run, script_path, tree_digest

SECTION_5 = tuple(c.id for c in load_catalog("al2023") if c.section == "5")
HELPERS = SCENARIOS / "al2023" / "section_5" / "helpers.sh"
NODE_STOPPING_ACTIONS = {"single", "halt"}


def only(*ids: str) -> list[str]:
    return [arg for cid in ids for arg in ("--only", cid)]


def shape(root: Path, script: str) -> None:
    subprocess.run([BASH, "-euo", "pipefail", "-c", f". {HELPERS}; {script}"], cwd=root, check=True)


def auditd_conf(root: Path) -> dict[str, str]:
    """auditd's own reading: `name = value` lines, case-insensitive, last wins."""
    values = {}
    for line in (root / "etc/audit/auditd.conf").read_text().splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        assert len(words) >= 3 and words[1] == "=", f"auditd would reject: {line!r}"
        values[words[0].lower()] = words[2].lower()
    return values


def augenrules_lines(root: Path) -> list[str]:
    """What augenrules would load: rules.d/*.rules in version order, comments dropped, the last -e last."""
    def version_key(name: str) -> list:
        return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]

    lines, enable = [], None
    for path in sorted((root / "etc/audit/rules.d").glob("*.rules"), key=lambda p: version_key(p.name)):
        for line in path.read_text().splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.split()[0] == "-e":
                enable = line.strip()
            else:
                lines.append(line.strip())
    return lines + ([enable] if enable else [])


@pytest.fixture(scope="module")
def script() -> Path:
    return script_path("al2023", 2)


def prepared_root(tmp_path: Path, cis_built: bool) -> Path:
    root = make_root(tmp_path)
    shape(root, "install_rsyslog")  # on the build instance 5.1.1.1 installs it with dnf
    # 4.3.3 gives sudo a logfile; section 5 watches it.
    (root / "etc/sudoers.d/10-logfile").write_text('Defaults logfile="/var/log/sudo.log"\n')
    if cis_built:
        # As a CIS-built image ships it: logs kept, and a full volume halts the node.
        conf = root / "etc/audit/auditd.conf"
        text = conf.read_text().replace("max_log_file_action = ROTATE", "max_log_file_action = keep_logs")
        conf.write_text(text.replace("admin_space_left_action = SUSPEND", "admin_space_left_action = halt")
                        .replace("disk_full_action = SUSPEND", "disk_full_action = single"))
    return root


@pytest.mark.parametrize("cis_built", [False, True], ids=["eks-optimized", "cis-built"])
def test_level2_apply_keeps_node_running_and_settles(script, tmp_path, cis_built):
    root = prepared_root(tmp_path, cis_built)
    args = ["apply", "--root", str(root), "--set", "remote-log-host=logs.example.internal:6514", *only(*SECTION_5)]
    proc = run(script, *args)
    statuses = {ln.split(" | ")[0]: ln.split(" | ")[4] for ln in proc.stdout.splitlines() if " | PATCH | " in ln}
    assert statuses["5.2.2.3"] == "excepted"
    assert not {cid for cid, s in statuses.items() if s not in ("pass", "fixed", "manual", "excepted")}

    # A full audit volume neither stops the node (and with it kubelet and the SSM agent) nor auditing.
    conf = auditd_conf(root)
    assert conf["max_log_file_action"] == "keep_logs"
    for key in ("admin_space_left_action", "disk_full_action", "space_left_action", "disk_error_action"):
        assert conf.get(key, "") not in NODE_STOPPING_ACTIONS, (key, conf.get(key))
    assert conf["admin_space_left_action"] == conf["disk_full_action"] == "rotate"

    # augenrules' view: every rule has a key, nothing disables syscall auditing, and -e 2 comes last.
    rules = augenrules_lines(root)
    assert rules[-1] == "-e 2"
    assert not [r for r in rules if re.match(r"-a\s+(task,never|never,task)\b", r)]
    assert all(re.search(r"(-k|key=)\s*\S+", r) for r in rules if r.startswith(("-a", "-w")))
    assert "-w /var/log/sudo.log -p wa -k sudo_log_file" in rules
    assert "-a always,exit -F path=/usr/bin/sudo -F perm=x -F auid>=1000 -F auid!=unset -k privileged" in rules
    forward = (root / "etc/rsyslog.d/90-cis-remote-log-host.conf").read_text()
    assert 'target="logs.example.internal" port="6514"' in forward

    settled = tree_digest(root)
    run(script, *args)
    assert tree_digest(root) == settled, "second apply changed the root"

    after = audit(script, root, *SECTION_5)
    failing = {cid: c["detail"] for cid, c in after.items() if c["status"] not in ("pass", "manual", "excepted")}
    assert not failing


def test_node_binaries_and_units_untouched(script, tmp_path):
    root = prepared_root(tmp_path, cis_built=False)
    before = {p: (root / p).stat().st_mode for p in ("usr/bin/kubelet", "usr/bin/nodeadm", "usr/bin/containerd")}
    wants = sorted(p.name for p in (root / "etc/systemd/system/multi-user.target.wants").iterdir())
    run(script, "apply", "--root", str(root), *only(*(c for c in SECTION_5 if c != "5.1.1.6")))
    assert {p: (root / p).stat().st_mode for p in before} == before
    assert sorted(p.name for p in (root / "etc/systemd/system/multi-user.target.wants").iterdir()) == wants
    assert (root / "etc/systemd/system/multi-user.target.wants/amazon-ssm-agent.service").is_symlink()


@pytest.mark.parametrize("value, message", [
    ("remote-log-host=logs example", "'logs example' is not valid"),
    ("remote-log-host=host:port", "'host:port' is not valid"),
    ("log-host=logs.example.internal", "unknown setting 'log-host' (allowed: remote-log-host)"),
    ("remote-log-host", "--set needs NAME=VALUE"),
])
def test_set_is_validated_before_any_change(script, tmp_path, value, message):
    root = prepared_root(tmp_path, cis_built=False)
    digest = tree_digest(root)
    proc = run(script, "apply", "--root", str(root), "--set", value, check_rc=(2,))
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr and tree_digest(root) == digest


def test_remote_log_host_without_set_stops_and_names_the_control(script, tmp_path):
    root = prepared_root(tmp_path, cis_built=False)
    proc = run(script, "apply", "--root", str(root), "--only", "5.1.1.6", check_rc=(2,))  # not "still failing"
    assert "5.1.1.6" in proc.stderr and "--set remote-log-host=" in proc.stderr
    assert not (root / "etc/rsyslog.d/90-cis-remote-log-host.conf").exists()


def test_bracketed_ipv6_log_host(script, tmp_path):
    root = prepared_root(tmp_path, cis_built=False)
    run(script, "apply", "--root", str(root), "--set", "remote-log-host=[fd00:ec2::514]:514", "--only", "5.1.1.6")
    text = (root / "etc/rsyslog.d/90-cis-remote-log-host.conf").read_text()
    assert 'target="fd00:ec2::514" port="514"' in text
    assert audit(script, root, "5.1.1.6")["5.1.1.6"]["status"] == "pass"


def test_aarch64_rules_use_only_syscalls_the_arch_has(script, tmp_path):
    root = prepared_root(tmp_path, cis_built=False)
    modules = root / "usr/lib/modules"
    for d in modules.iterdir():
        d.rename(modules / d.name.replace("x86_64", "aarch64"))
    run(script, "apply", "--root", str(root), *only("5.2.3.7", "5.2.3.9", "5.2.3.13", "5.2.3.19"))
    rules = augenrules_lines(root)
    syscalls = {s for r in rules for m in re.finditer(r"-S\s+(\S+)", r) for s in m.group(1).split(",")}
    assert syscalls and not syscalls & {"open", "creat", "chmod", "chown", "lchown", "unlink", "rename",
                                        "create_module", "query_module"}
    assert not [r for r in rules if "arch=b32" in r]
    assert {"openat", "fchmodat", "unlinkat", "finit_module"} <= syscalls


def test_privileged_inventory_shares_section_6_scan():
    section_6 = CATALOG_DIR / "al2023" / "section-6.yaml"
    if not section_6.exists():
        pytest.skip("section 6 is not in the catalogue yet")
    mine = yaml.safe_load((CATALOG_DIR / "al2023" / "section-5.yaml").read_text())["controls"]["5.2.3.6"]
    theirs = yaml.safe_load(section_6.read_text())["controls"]
    scans = [c["args"]["exempt"] for c in theirs.values() if isinstance(c, dict) and c.get("family") == "fs_scan"]
    assert scans and all(s == mine["args"]["exempt"] for s in scans), "5.2.3.6 would run its own find pass"

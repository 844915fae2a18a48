"""CIS AL2 section 4 (cron/at, sshd, sudo, su) as a whole on an AL2 EKS node root: SSH, Session Manager and
sudo stay usable after apply, OpenSSH 7.4 never sees an Include, and the NOPASSWD exception (4.3.4) keeps
ec2-user's and ssm-user's rules while its remediation is real where it would apply."""

from __future__ import annotations

from hardening.catalog import load_catalog
from tests.hardening.harness import (
    SSM_SUDOERS,
    add_ssm_user,
    apply,
    audit,
    make_root,
    run_functions,
    script_path,
    tree_digest,
)

FIXTURE = "al2-eks-node"
PART_A = [c.id for c in load_catalog("al2")
          if c.section == "4" and c.id.split(".")[1] in {"1", "2", "3"} and c.assessment == "automated"]


def _node_with_ssm_user(tmp_path):
    """An AL2 node on which Session Manager has been used: the agent created ssm-user and its sudoers file."""
    return add_ssm_user(make_root(tmp_path, FIXTURE))


def test_apply_keeps_ssh_session_manager_and_sudo(tmp_path):
    script = script_path("al2", 2)
    root = _node_with_ssm_user(tmp_path)
    cloud_init = (root / "etc/sudoers.d/90-cloud-init-users").read_text()

    apply(script, root, *PART_A)
    settled = tree_digest(root)
    apply(script, root, *PART_A)
    assert tree_digest(root) == settled, "second apply changed the root"

    statuses = {cid: c["status"] for cid, c in audit(script, root, *PART_A).items()}
    assert statuses == {cid: "pass" for cid in PART_A} | {"4.1.2.1": "not-applicable", "4.3.4": "excepted"}

    # 4.3.4 is excepted: both NOPASSWD rules stay, and the audit names them as the current state.
    assert (root / "etc/sudoers.d/ssm-agent-users").read_text() == SSM_SUDOERS
    assert (root / "etc/sudoers.d/90-cloud-init-users").read_text() == cloud_init
    detail = audit(script, root, "4.3.4")["4.3.4"]["detail"]
    assert "ssm-user ALL=(ALL) NOPASSWD:ALL" in detail and "ec2-user" in detail
    # OpenSSH 7.4 refuses to start on an Include line: everything is in sshd_config, our block first.
    sshd_config = (root / "etc/ssh/sshd_config").read_text().splitlines()
    assert not any(ln.split()[:1] == ["Include"] for ln in sshd_config)
    assert not (root / "etc/ssh/sshd_config.d").exists()
    block = sshd_config[1:sshd_config.index("")]
    assert "AllowGroups wheel" in block and "PermitRootLogin no" in block
    wheel = next(ln for ln in (root / "etc/group").read_text().splitlines() if ln.startswith("wheel:"))
    assert "ec2-user" in wheel.split(":")[3].split(",")
    # root (sudo su -, the agent) passes su before pam_wheel; the su group is empty.
    su = [ln.split()[2] for ln in (root / "etc/pam.d/su").read_text().splitlines()
          if ln.startswith("auth") and len(ln.split()) > 2]
    assert su.index("pam_rootok.so") < su.index("pam_wheel.so")
    assert "sugroup:x:" in (root / "etc/group").read_text()


def _call(script, root, function, mode):
    """One lib function of the rendered script: its status and detail."""
    return run_functions(script, root, f"HE_LIVE=0; HE_CURRENT=test; {function} {mode}; "
                                       "printf '%s|%s' \"${HE_STATUS:-}\" \"${HE_DETAIL:-}\"")


def test_password_required_remediation_is_real_off_eks(tmp_path):
    """Where the exception does not apply, the 4.3.4 remediation drops NOPASSWD (and keeps the rules)."""
    script = script_path("al2", 2)
    root = _node_with_ssm_user(tmp_path)
    assert _call(script, root, "he_sudo_password_required", "audit").startswith("fail|")
    _call(script, root, "he_sudo_password_required", "apply")
    assert _call(script, root, "he_sudo_password_required", "audit").startswith("pass|")
    assert (root / "etc/sudoers.d/ssm-agent-users").read_text() == "ssm-user ALL=(ALL) ALL\n"
    assert oct((root / "etc/sudoers.d/ssm-agent-users").stat().st_mode & 0o777) == "0o440"


def test_weak_algorithm_rule_reads_prefixes(tmp_path):
    """A leading + appends to OpenSSH 7.4's default list (weak ones included); a plain strong list passes."""
    script = script_path("al2", 2)
    root = make_root(tmp_path, FIXTURE)
    config = root / "etc/ssh/sshd_config"
    stock = config.read_text()
    for line, status in (("KexAlgorithms +curve25519-sha256", "fail"), ("KexAlgorithms curve25519-sha256", "pass"),
                         ("MACs hmac-sha2-256,hmac-sha1-96", "fail"), ("MACs hmac-sha2-256", "pass")):
        config.write_text(line + "\n" + stock)
        cid = "4.2.12" if line.startswith("Kex") else "4.2.15"
        assert audit(script, root, cid)[cid]["status"] == status, line

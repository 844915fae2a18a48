"""Section 4 of CIS AL2023 as a whole: EKS access invariants after a level-2 apply, and the offline authselect
renderer against what authselect generates."""

from __future__ import annotations

import os

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

SECTION_4 = [c.id for c in load_catalog("al2023") if c.section == "4"]


def _node_with_ssm_user(tmp_path):
    """A node on which Session Manager has been used: the agent created ssm-user and its sudoers file."""
    return add_ssm_user(make_root(tmp_path))


def _lines(root, rel, prefix):
    return [ln for ln in (root / rel).read_text().splitlines() if ln.startswith(prefix)]


def test_level2_apply_keeps_session_manager_and_is_idempotent(tmp_path):
    script = script_path("al2023", 2)
    root = _node_with_ssm_user(tmp_path)
    before = {rel: _lines(root, rel, ("ssm-user:", "ec2-user:")) for rel in ("etc/passwd", "etc/shadow")}

    apply(script, root, *SECTION_4)
    settled = tree_digest(root)
    apply(script, root, *SECTION_4)
    assert tree_digest(root) == settled, "second apply changed the root"

    statuses = {cid: c["status"] for cid, c in audit(script, root, *SECTION_4).items()}
    expected = {cid: "pass" for cid in SECTION_4} | {"4.1.9": "not-applicable", "4.4.1": "manual",
                                                     "4.6.6": "excepted"}
    assert statuses == expected

    # ssm-user and ec2-user: same shell, same (password-less) shadow entry, no ageing added.
    for rel, lines in before.items():
        assert _lines(root, rel, ("ssm-user:", "ec2-user:")) == lines, rel
    assert (root / "etc/sudoers.d/ssm-agent-users").read_text() == SSM_SUDOERS
    assert "NOPASSWD:ALL" in (root / "etc/sudoers.d/90-cloud-init-users").read_text()
    # root stays locked (the 4.6.6 exception), and root (sudo su -, the agent) passes su before pam_wheel.
    assert _lines(root, "etc/shadow", "root:")[0].startswith("root:*:")
    su = [ln.split()[2] for ln in (root / "etc/pam.d/su").read_text().splitlines()
          if ln.startswith("auth") and len(ln.split()) > 2]
    assert su.index("pam_rootok.so") < su.index("pam_wheel.so")
    # The PAM stacks sudo uses: local accounts only (no pam_sss that would deny when sssd is absent).
    for name in ("system-auth", "password-auth"):
        assert os.readlink(root / "etc/pam.d" / name) == f"/etc/authselect/{name}"
        text = (root / "etc/authselect" / name).read_text()
        assert "pam_sss" not in text
        assert any(ln.startswith("account") and "pam_unix.so" in ln for ln in text.splitlines())
    # SSH stays usable for the EC2 default user: AllowGroups wheel and ec2-user is in wheel.
    assert "AllowGroups wheel" in (root / "etc/ssh/sshd_config.d/00-cis-hardening.conf").read_text()
    assert "ec2-user" in _lines(root, "etc/group", "wheel:")[0]
    # Password ageing only touches accounts with a password: login.defs is set for new ones.
    assert "PASS_MAX_DAYS\t365" in (root / "etc/login.defs").read_text()


def _render(script, root, template, *features):
    """he_as_render of the rendered script itself."""
    return run_functions(script, root, f'he_as_render "$HE_ROOT/{template}" {" ".join(features)}')


def test_offline_authselect_rendering_matches_authselect(tmp_path):
    script = script_path("al2023", 2)
    root = make_root(tmp_path)
    profile = "usr/share/authselect/default/minimal"
    for name in ("system-auth", "password-auth", "postlogin", "nsswitch.conf"):
        generated = (root / "etc/authselect" / name).read_text().split("\n\n", 1)[1]  # without the header
        rendered = _render(script, root, f"{profile}/{name}")
        # PAM and NSS split on blanks: compare words (an empty {if} leaves two spaces).
        assert [ln.split() for ln in rendered.splitlines()] == [ln.split() for ln in generated.splitlines()], name
    with_faillock = _render(script, root, f"{profile}/system-auth", "with-faillock").splitlines()
    faillock = [ln.split()[0] + " " + ln.split()[-1] for ln in with_faillock if "pam_faillock" in ln]
    assert faillock == ["auth silent", "auth authfail", "account pam_faillock.so"]
    assert "without-nullok" not in "".join(with_faillock) and "{" not in "".join(with_faillock)
    without_nullok = _render(script, root, f"{profile}/system-auth", "without-nullok")
    assert "nullok" not in without_nullok


def test_opted_out_system_gets_a_custom_profile_based_on_minimal(tmp_path):
    script = script_path("al2023", 2)
    root = make_root(tmp_path)
    (root / "etc/authselect/authselect.conf").unlink()
    for name in ("system-auth", "password-auth"):
        (root / "etc/pam.d" / name).unlink()
        (root / "etc/pam.d" / name).write_text((root / "etc/authselect" / name).read_text())
    result = apply(script, root, "4.4.2", "4.5.3")
    assert result["4.4.2"][0] == "fixed" and result["4.5.3"][0] == "fixed", result
    conf = (root / "etc/authselect/authselect.conf").read_text().split()
    assert conf == ["custom/hardened-eks", "with-faillock", "with-pwhistory"]
    assert (root / "etc/authselect/custom/hardened-eks/README").exists()
    assert os.readlink(root / "etc/pam.d/system-auth") == "/etc/authselect/system-auth"
    assert "pam_pwhistory.so use_authtok remember=24" in (root / "etc/authselect/password-auth").read_text()

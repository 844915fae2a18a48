"""The benchmark's own audit, as Amazon Inspector's CIS scans and auditors run it, passes after apply.

Some settings comply through a module default (pam_faillock deny 3, pam_pwquality retry 1), but the benchmark's
audit greps the files for an explicit value. Each case starts from a scenario root on which such a setting is left
to its default (the real trap files in tests/hardening/scenarios), runs the real rendered apply, then runs GNU
grep -P with the benchmark's patterns on the files as the node reads them (links resolved with the root as `/`).
A control that judged the default as a pass would leave the root as it was, and the grep would find nothing.

Home directories (6.2.10): the benchmark's audit checks the owner and the mode only, so the audit here does too;
apply gives a home back to its user with the user's primary group as well.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.hardening.harness import (
    BENCHMARK_FIXTURE,
    SCENARIOS,
    apply,
    audit,
    make_root,
    script_path,
    shape,
)

GREP = shutil.which("grep") or "/bin/grep"


def node_path(root: Path, path: str) -> Path:
    """PATH as the node sees it with ROOT as `/`: every link resolved, absolute targets re-rooted."""
    parts = [p for p in path.split("/") if p]
    current = root
    hops = 0
    while parts:
        part = parts.pop(0)
        candidate = current / part
        if candidate.is_symlink():
            hops += 1
            assert hops < 40, f"link loop at {candidate}"
            target = os.readlink(candidate)
            parts = [p for p in target.split("/") if p] + parts
            if target.startswith("/"):
                current = root
            continue
        if part == "..":
            current = current.parent if current != root else root
            continue
        current = candidate
    return current


def grep(root: Path, pattern: str, *paths: str) -> list[str]:
    """Lines of PATHS (node paths) matching PATTERN under `grep -Pi`, as the benchmark runs it."""
    files = [str(node_path(root, p)) for p in paths]
    proc = subprocess.run([GREP, "-Pi", "-h", "--", pattern, *files], capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout.splitlines()


def shaped_and_applied(tmp_path: Path, benchmark: str, scenario: str, controls: tuple[str, ...]) -> Path:
    root = make_root(tmp_path, BENCHMARK_FIXTURE[benchmark])
    shape(root, SCENARIOS / benchmark / scenario)
    script = script_path(benchmark, 1)
    apply(script, root, *controls)
    after = audit(script, root, *controls)
    assert all(after[c]["status"] == "pass" for c in controls), {c: after[c] for c in controls}
    return root


# AL2023 v1.0.0 4.5.2: faillock.conf holds `deny = 1..5` and `unlock_time = 0 or >= 900`; no pam_faillock argument
# overrides them with a weaker value.
def test_al2023_faillock_deny_is_written_where_the_benchmark_greps_it(tmp_path):
    root = shaped_and_applied(tmp_path, "al2023", "section_4/4.5.2/deny-by-default-only.fail.sh", ("4.4.2", "4.5.2"))
    assert grep(root, r"^\h*deny\h*=\h*[1-5]\b", "/etc/security/faillock.conf")
    # ComplianceAsCode's CIS profile asks 3 or fewer (var_accounts_passwords_pam_faillock_deny=3); 3 meets both.
    assert grep(root, r"^\h*deny\h*=\h*[1-3]\b", "/etc/security/faillock.conf")
    assert grep(root, r"^\h*unlock_time\h*=\h*(0|9[0-9][0-9]|[1-9][0-9]{3,})\b", "/etc/security/faillock.conf")
    weaker = r"^\h*auth\h+(requisite|required|sufficient)\h+pam_faillock\.so\h+([^#\n\r]+\h+)?" \
             r"(deny\h*=\h*(0|[6-9]|[1-9][0-9]+)|unlock_time\h*=\h*([1-9]|[1-9][0-9]|[1-8][0-9][0-9]))\b"
    assert not grep(root, weaker, "/etc/pam.d/system-auth", "/etc/pam.d/password-auth")


# AL2023 v1.0.0 4.5.1: an explicit retry of 3 or less, in pwquality.conf (read last) and on the pam_pwquality line
# of both stacks (an audit may grep either), with minlen and minclass as before.
@pytest.mark.parametrize("scenario", ["retry-by-default-only.fail.sh", "retry-argument-too-high.fail.sh",
                                      "retry-in-dropin-overridden.fail.sh"])
def test_al2023_pwquality_retry_is_written_where_the_benchmark_greps_it(tmp_path, scenario):
    root = shaped_and_applied(tmp_path, "al2023", f"section_4/4.5.1/{scenario}", ("4.5.1",))
    conf = grep(root, r"^\h*retry\h*=\h*\d+\b", "/etc/security/pwquality.conf")
    assert conf and conf[-1].replace(" ", "") == "retry=3", conf  # the main file is read last: its value wins
    drop_ins = sorted(node_path(root, "/etc/security/pwquality.conf.d").glob("*.conf"))
    conf_files = ["/etc/security/pwquality.conf", *(f"/etc/security/pwquality.conf.d/{p.name}" for p in drop_ins)]
    assert grep(root, r"^\h*minlen\h*=\h*(1[4-9]|[2-9][0-9]|[1-9][0-9]{2,})\b", *conf_files)
    assert grep(root, r"^\h*minclass\h*=\h*4\b", *conf_files)
    for stack in ("/etc/pam.d/system-auth", "/etc/pam.d/password-auth"):
        lines = grep(root, r"^\h*password\h+(requisite|required)\h+pam_pwquality\.so\b", stack)
        assert lines and all(grep_line_has(line, r"retry=[1-3]") for line in lines), (stack, lines)


def grep_line_has(line: str, pattern: str) -> bool:
    return subprocess.run([GREP, "-Pq", rf"\h{pattern}(\h|$)"], input=line, text=True).returncode == 0


# AL2 v3.0.0 4.4.2.1.2-4.4.2.1.4 (pam 1.1.8 reads no faillock.conf): deny, unlock_time and even_deny_root on the
# preauth and the authfail line of system-auth and password-auth.
def test_al2_faillock_arguments_are_on_both_lines_of_both_stacks(tmp_path):
    controls = ("4.4.2.1.1", "4.4.2.1.2", "4.4.2.1.3", "4.4.2.1.4")
    root = shaped_and_applied(tmp_path, "al2", "section_4/4.4.2.1.2/deny-by-default-only.fail.sh", controls)
    for stack in ("/etc/pam.d/system-auth", "/etc/pam.d/password-auth"):
        for kind in ("preauth", "authfail"):
            lines = grep(root, rf"^\h*auth\h+\S+\h+pam_faillock\.so\h+([^#\n\r]+\h+)?{kind}\b", stack)
            assert len(lines) == 1, (stack, kind, lines)
            line = lines[0]
            assert grep_line_has(line, r"deny=[1-5]"), line
            assert grep_line_has(line, r"unlock_time=(0|9[0-9][0-9]|[1-9][0-9]{3,})"), line
            assert grep_line_has(line, r"even_deny_root"), line


# AL2 v3.0.0 4.4.2.2.1: the pam_pwquality line carries retry=3 or less (libpwquality 1.2.3 reads no retry setting).
@pytest.mark.parametrize("scenario", ["no-retry.fail.sh", "retry-too-high.fail.sh"])
def test_al2_pwquality_line_carries_retry(tmp_path, scenario):
    root = shaped_and_applied(tmp_path, "al2", f"section_4/4.4.2.2.1/{scenario}", ("4.4.2.2.1",))
    for stack in ("/etc/pam.d/system-auth", "/etc/pam.d/password-auth"):
        lines = grep(root, r"^\h*password\h+(requisite|required)\h+pam_pwquality\.so\b", stack)
        assert len(lines) == 1 and grep_line_has(lines[0], r"retry=[1-3]"), (stack, lines)
        assert "try_first_pass local_users_only" in lines[0]  # the rest of the line is kept


@pytest.mark.parametrize("benchmark", ["al2023", "al2"])
def test_a_home_given_back_to_its_user_gets_the_users_group(tmp_path, benchmark):
    root = make_root(tmp_path, BENCHMARK_FIXTURE[benchmark])
    with (root / "etc/passwd").open("a") as f:
        f.write("builder:x:1001:1001::/home/builder:/bin/bash\n")
    with (root / "etc/group").open("a") as f:
        f.write("builder:x:1001:\n")
    home = root / "home/builder"
    home.mkdir()
    home.chmod(0o750)
    os.chown(home, 0, 0)  # made by root by hand, as git or a provisioning script leaves it
    os.chown(root / "home/ec2-user", 1000, 1000)
    (root / "home/ec2-user").chmod(0o700)
    (root / "root").chmod(0o550)
    script = script_path(benchmark, 1)
    assert audit(script, root, "6.2.10")["6.2.10"]["status"] == "fail"
    apply(script, root, "6.2.10")
    st = home.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1001, 1001, 0o750)
    assert audit(script, root, "6.2.10")["6.2.10"]["status"] == "pass"


@pytest.mark.parametrize("benchmark", ["al2023", "al2"])
def test_home_group_is_not_judged_as_the_benchmark_does_not_judge_it(tmp_path, benchmark):
    """The benchmark's audit reads the owner and the mode of each home: a home of its user in another group passes
    (ComplianceAsCode's file_groupownership_home_directories is stricter; hardening/cac_differences.yaml)."""
    root = make_root(tmp_path, BENCHMARK_FIXTURE[benchmark])
    (root / "root").chmod(0o550)  # as on a stock node (git keeps no modes)
    home = root / "home/ec2-user"
    os.chown(home, 1000, 0)
    home.chmod(0o750)
    script = script_path(benchmark, 1)
    assert audit(script, root, "6.2.10")["6.2.10"]["status"] == "pass"

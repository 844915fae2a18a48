"""The rendered script as a whole: determinism, CLI errors, the JSON document, full level-2 runs."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys

import jsonschema
import pytest

from hardening.render import RenderError, render
from tests.hardening.harness import BASH, BENCHMARK_FIXTURE, apply, audit, make_root, run, script_path, tree_digest

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def schema():
    return json.loads((ROOT / "schemas" / "audit.schema.json").read_text())


def test_render_is_deterministic():
    a = render("al2023", 2, ["1.1.3.1", "1.1.2.1"], "ipv4", allow_unimplemented=True)
    b = render("al2023", 2, ["1.1.2.1", "1.1.3.1"], "ipv4", allow_unimplemented=True)
    assert a == b
    assert render("al2023", 1, (), "ipv6", True) != render("al2023", 1, (), "ipv4", True)


@pytest.mark.parametrize("benchmark", ["al2023", "al2"])
def test_every_automated_control_is_implemented_or_excepted(benchmark):
    assert render(benchmark, 2).startswith("#!/usr/bin/env bash")


def test_render_refuses_unimplemented_by_default(monkeypatch):
    import hardening.render as render_module

    controls = render_module.load_catalog("al2023")
    victim = next(c for c in controls if c.implemented and c.assessment == "automated" and not c.exceptions)
    monkeypatch.setattr(render_module, "load_catalog", lambda benchmark: tuple(
        dataclasses.replace(c, implemented=False, family=None, custom=False) if c.id == victim.id else c
        for c in controls))
    with pytest.raises(RenderError, match=rf"not implemented yet \({re.escape(victim.id)}\)"):
        render("al2023", 2)
    assert f"[{victim.id}]='unimplemented'" in render("al2023", 2, allow_unimplemented=True)


@pytest.mark.parametrize("argv, message", [
    (["--benchmark", "al2023", "--level", "2", "--exclude", "9.9.9", "--allow-unimplemented"], "9.9.9"),
    (["--benchmark", "al2023", "--level", "3"], "invalid choice: 3"),
    (["--benchmark", "rhel9", "--level", "1"], "invalid choice: 'rhel9'"),
    (["--benchmark", "bottlerocket", "--level", "1"], "use `python -m hardening.bottlerocket`"),
])
def test_render_cli_rejects_bad_input(argv, message, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "hardening", "render", *argv, "-o", str(tmp_path / "x.sh")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_render_into_a_missing_folder_is_one_clear_line(tmp_path):
    target = tmp_path / "no-such-folder" / "cis-harden.sh"
    proc = subprocess.run([sys.executable, "-m", "hardening", "render", "--benchmark", "al2", "--level", "1",
                           "-o", str(target)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (f"error: -o: cannot write {str(target)!r}: No such file or directory "
                                   "(create the folder first)")


def test_bottlerocket_has_no_script_and_says_where_to_go():
    with pytest.raises(RenderError, match=r"python -m hardening\.bottlerocket"):
        render("bottlerocket", 1)


def test_script_rejects_bad_arguments(tmp_path):
    script = script_path("al2023", 1)
    for args, message in ((["frobnicate"], "unknown command"), (["audit", "--root", str(tmp_path / "nope")], "not a directory"),
                          (["apply", "--json", "--root", str(tmp_path)], "only valid with audit"),
                          (["audit", "--only", "9.9"], "unknown control id")):
        proc = run(script, *args, check_rc=(2,))
        assert message in proc.stderr


def test_audit_json_matches_schema_and_exit_status(tmp_path):
    script = script_path("al2023", 2, "ipv4", ("1.1.7.1",))
    root = make_root(tmp_path)
    proc = run(script, "audit", "--root", str(root), "--json", check_rc=(1,))  # the stock node fails controls
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, schema())
    assert doc["excluded"] == ["1.1.7.1"]
    statuses = {c["id"]: c["status"] for c in doc["controls"]}
    assert statuses["1.1.7.1"] == "excluded"
    assert statuses["3.2.1"] == "excepted" and statuses["1.2.1"] == "manual"
    assert sum(doc["summary"].values()) == len(doc["controls"])
    assert doc["root"] == str(root)


def test_json_escapes_hostile_content(tmp_path):
    script = script_path("al2023", 1)
    root = make_root(tmp_path)
    (root / "etc/issue").write_bytes(b'Amazon Linux "quoted" \\ back\tslash \x01 \xff\n')
    out = run(script, "audit", "--root", str(root), "--json", "--only", "1.7.2").stdout
    doc = json.loads(out)
    jsonschema.validate(doc, schema())
    assert doc["controls"][0]["status"] == "fail"


def test_full_level2_apply_is_idempotent_and_gates(tmp_path):
    script = script_path("al2023", 2)
    root = make_root(tmp_path)
    first = apply(script, root)
    assert first, "apply printed no PATCH lines"
    settled = tree_digest(root)
    second = apply(script, root)
    assert tree_digest(root) == settled, "second level-2 apply changed the root"
    # Whatever apply fixed now passes; nothing implemented is left failing except what waits for a running system.
    doc = audit(script, root)
    sections = {"1", "3"}
    for cid, (status, _detail) in second.items():
        if cid.split(".")[0] in sections:
            assert status in {"pass", "not-applicable", "deferred", "excepted", "manual"}, (cid, status, _detail)
            assert doc[cid]["status"] != "fail" or first[cid][0] == "deferred", (cid, doc[cid])


def test_help_and_usage():
    proc = run(script_path("al2023", 1), "--help", check_rc=(0,))
    assert "audit" in proc.stdout and "--root" in proc.stdout
    assert subprocess.run([BASH, "-n", str(script_path("al2023", 2))]).returncode == 0


def test_a_failing_remediation_is_that_controls_error_and_the_run_goes_on(tmp_path):
    """/etc/issue is a directory on this node: writing the banner fails (mv cannot replace a directory). That is
    1.7.2's `error` (not "did not take effect"), its temporary file is removed, every later control is still
    applied, the run reaches the summary and exits 3."""
    script = script_path("al2023", 2)
    root = make_root(tmp_path)
    (root / "etc/issue").unlink()
    (root / "etc/issue").mkdir()
    proc = run(script, "apply", "--root", str(root), "--set", "remote-log-host=logs.example.internal",
               check_rc=(3,))
    lines = {line.split(" | ")[0]: line for line in proc.stdout.splitlines()}
    assert "| error | remediation failed: " in lines["1.7.2"], lines["1.7.2"]
    assert "1.7.2" in proc.stderr and "stopped at" not in proc.stderr
    assert "| fixed |" in lines["6.2.8"] and "| fixed |" in lines["5.2.3.6"]
    assert proc.stdout.splitlines()[-1].startswith("summary |") and "error=1" in proc.stdout.splitlines()[-1]
    assert not list(root.rglob(".cis-harden.*")) and not list((root / "etc/issue").iterdir())
    # the next apply converges on everything else and reports the same error again
    again = run(script, "apply", "--root", str(root), "--set", "remote-log-host=logs.example.internal",
                check_rc=(3,))
    assert "| fixed |" not in again.stdout.replace(lines["1.7.2"], "")


@pytest.mark.parametrize("benchmark", ["al2023", "al2"])
def test_audit_json_is_printed_without_passwd_and_shadow(tmp_path, benchmark):
    script = script_path(benchmark, 2)
    root = make_root(tmp_path, BENCHMARK_FIXTURE[benchmark])
    (root / "etc/passwd").unlink()
    (root / "etc/shadow").unlink()
    proc = run(script, "audit", "--root", str(root), "--json", check_rc=(1, 3))
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, schema())
    statuses = {c["id"]: c for c in doc["controls"]}
    assert len(statuses) == sum(doc["summary"].values())
    for cid in ("6.1.1", "6.1.6" if benchmark == "al2023" else "6.1.5"):  # /etc/passwd, /etc/shadow
        assert statuses[cid]["status"] == "fail", statuses[cid]


def test_two_applies_on_one_root_do_not_interleave(tmp_path):
    """apply takes a lock on the root directory (flock, as util-linux does): while another holder has it, apply waits
    and then gives up with exit 3 without changing anything; once it is free, apply runs."""
    import fcntl
    import os

    script = script_path("al2023", 1)
    root = make_root(tmp_path)
    digest = tree_digest(root)
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C", "HE_LOCK_WAIT": "1"}
        proc = subprocess.run([BASH, str(script), "apply", "--root", str(root), "--only", "1.7.1"],
                              capture_output=True, text=True, env=env, timeout=60)
        assert proc.returncode == 3, proc.stderr
        assert "another apply" in proc.stderr and tree_digest(root) == digest
    finally:
        os.close(fd)
    proc = run(script, "apply", "--root", str(root), "--only", "1.7.1", check_rc=(0,))
    assert "1.7.1 | PATCH" in proc.stdout


def test_apply_dry_run_changes_nothing_and_lists_what_apply_would_fix(tmp_path):
    script = script_path("al2023", 1)
    root = make_root(tmp_path / "dry")
    digest = tree_digest(root)
    proc = run(script, "apply", "--dry-run", "--root", str(root), check_rc=(1,))
    assert tree_digest(root) == digest, "--dry-run changed the root"
    would = {line.split(" | ")[0] for line in proc.stdout.splitlines() if " | would-fix | " in line}
    assert "(dry run: nothing changed)" in proc.stdout.splitlines()[-1]
    real = apply(script, make_root(tmp_path / "real"))
    touched = {cid for cid, (status, _detail) in real.items() if status in ("fixed", "deferred", "error", "fail")}
    assert would == touched


OS_RELEASE = __import__("pathlib").Path("/etc/os-release")


@pytest.mark.skipif(OS_RELEASE.exists() and "ID=amzn" in OS_RELEASE.read_text(), reason="this machine is Amazon Linux")
def test_apply_on_the_running_system_refuses_another_os():
    """Not Amazon Linux here: apply without --root refuses before anything (only a manual control is named, so even a
    broken check could change nothing); --any-os lets it through."""
    script = script_path("al2023", 1)
    proc = run(script, "apply", "--only", "1.2.1", check_rc=(2,))
    assert "/etc/os-release says ID=" in proc.stderr and "--any-os" in proc.stderr
    assert proc.stdout == ""
    proc = run(script, "apply", "--any-os", "--dry-run", "--only", "1.2.1", check_rc=(0,))
    assert "1.2.1 | PATCH" in proc.stdout and "| manual |" in proc.stdout

"""The build gate fails closed: it passes only on two audits that account for the profile the build rendered.

The evidence is real: the build folder holds the cis-harden.sh rendered from hardening/ and audits that this
very script printed (`audit --json`, run under `env -i bash`). The passing set is built first; each test then
tampers with it in one way and expects the gate to refuse it with a line naming what is wrong.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hardened_eks.ami_build.gate import evaluate, expected_profile, profile_digest
from hardened_eks.ami_build.runner import BuildError, gate
from hardened_eks.ami_build.spec import BuildSpec, sha256
from hardening.render import render
from tests.ami_helpers import make_spec
from tests.conftest import ROOT
from tests.hardening.harness import make_root

EXCLUDED = ("1.1.2.1",)
STATUSES = ("pass", "fail", "manual", "excepted", "excluded", "not-applicable", "deferred")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[str, dict]:
    """The rendered al2023 level-1 script (one exclusion) and the audit it prints of the stock AL2023 EKS node
    fixture root (tests/hardening/fixtures)."""
    script = render("al2023", 1, EXCLUDED, "ipv4", allow_unimplemented=True)
    folder = tmp_path_factory.mktemp("printed")
    root = make_root(folder, "al2023-eks-node")
    (folder / "cis-harden.sh").write_text(script)
    run = subprocess.run(["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "bash", str(folder / "cis-harden.sh"),
                          "audit", "--json", "--root", str(root)], capture_output=True, text=True, timeout=120,
                         check=False)
    assert run.returncode == 1, run.stderr[-2000:]  # a stock node fails controls; the JSON is complete
    return script, json.loads(run.stdout)


def recount(doc: dict) -> dict:
    doc["summary"] = {s: sum(c["status"] == s for c in doc["controls"]) for s in STATUSES}
    return doc


def on_the_builder(audit: dict, hardened: bool) -> dict:
    """The printed audit as the builder's would read: the running system, every automated control met when
    `hardened` (the script's own summary recounted accordingly)."""
    doc = copy.deepcopy(audit)
    doc["root"] = "/"
    if hardened:
        for control in doc["controls"]:
            if control["status"] in ("fail", "deferred"):
                control.update(status="pass", detail="ok")
    return recount(doc)


@pytest.fixture
def build(tmp_path, printed) -> BuildSpec:
    """A complete, passing build folder: spec, rendered script, audit before (stock) and after (hardened)."""
    script, audit = printed
    spec = make_spec(tmp_path, excluded=EXCLUDED, script_sha256=sha256(script))
    spec.build_dir.mkdir(parents=True)
    (spec.build_dir / "spec.json").write_text(spec.to_json())
    (spec.build_dir / "cis-harden.sh").write_text(script)
    write(spec, "before", on_the_builder(audit, hardened=False))
    write(spec, "after", on_the_builder(audit, hardened=True))
    return spec


def write(spec: BuildSpec, phase: str, doc: dict) -> None:
    (spec.build_dir / f"audit-{phase}.json").write_text(json.dumps(doc))


def read(spec: BuildSpec, phase: str) -> dict:
    return json.loads((spec.build_dir / f"audit-{phase}.json").read_text())


def tamper(spec: BuildSpec, phase: str, change) -> None:
    doc = read(spec, phase)
    change(doc)
    write(spec, phase, doc)


def run_gate(spec: BuildSpec, capsys) -> tuple[int, str]:
    status = gate(spec.build_dir)
    return status, capsys.readouterr().err


def cli(build_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hardened_eks.ami_build", "gate", str(build_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


def _drop_sections(doc: dict, sections: tuple[str, ...]) -> None:
    doc["controls"] = [c for c in doc["controls"] if c["id"].split(".")[0] not in sections]
    recount(doc)


def _drop_one(doc: dict) -> None:
    doc["controls"] = [c for c in doc["controls"] if c["id"] != "1.1.1.3"]
    recount(doc)


def _twice(doc: dict) -> None:
    doc["controls"] = [c for c in doc["controls"] if c["id"] != "1.1.1.4"] + [doc["controls"][0]]
    recount(doc)


def _relabel(control_id: str, **fields):
    def change(doc: dict) -> None:
        for control in doc["controls"]:
            if control["id"] == control_id:
                control.update(fields)
        recount(doc)
    return change


def _summary_fail_9(doc: dict) -> None:
    doc["summary"]["fail"] = 9


def _other_profile(doc: dict) -> None:
    # The digest another real profile carries: the same benchmark and level without the exclusion.
    doc["profileDigest"] = profile_digest(render("al2023", 1, (), "ipv4", allow_unimplemented=True))


# --- the passing set ----------------------------------------------------------------------------


def test_the_complete_evidence_passes(build, capsys):
    status, err = run_gate(build, capsys)
    assert (status, err.strip()) == (0, "gate: passed")
    after = read(build, "after")
    assert len(after["controls"]) > 150 and after["summary"]["excepted"] == 3 and after["summary"]["excluded"] == 1


def test_the_gate_command_passes_and_fails_on_the_build_folder(build):
    passed = cli(build.build_dir)
    assert passed.returncode == 0 and "gate: passed" in passed.stderr
    tamper(build, "after", _relabel("1.2.2", status="fail", detail="gpgcheck=0"))
    failed = cli(build.build_dir)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "regressed: 1.2.2 Ensure gpgcheck is globally activated: pass -> fail (gpgcheck=0)" in failed.stderr


# --- audits that do not account for the profile ---------------------------------------------------


@pytest.mark.parametrize("phase", ["after", "before"])
@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: recount(d.update(controls=[]) or d), "lacks {all} of the profile's {all} controls: 1.1.1.3, 1.1.1.4"),
    (lambda d: _drop_sections(d, ("2", "3", "4", "5", "6")), "lacks {late} of the profile's {all} controls: 2.1.1, "),
    (_drop_one, "lacks 1 of the profile's {all} controls: 1.1.1.3"),
    (_twice, "lists 1 control(s) more than once: 1.1.1.3"),
    (_summary_fail_9, "summary disagrees with its controls: fail=9 (controls: "),
    (_other_profile, "it is the audit of another profile"),
    (lambda d: d.pop("profileDigest"), "has profile digest (none), expected "),
    (lambda d: d.update(root="/mnt/image"), "audited the offline root /mnt/image"),
    (_relabel("1.1.1.3", status="excluded", reason="not wanted"),
     "1.1.1.3 is excluded, but the profile renders it automated"),
    (_relabel("1.1.1.3", status="excepted", reason="EKS", exception="eks-no-such-exception", compensatingControl="x"),
     "1.1.1.3 is excepted, but the profile renders it automated"),
    (_relabel("3.2.1", exception="eks-no-such-exception"),
     "3.2.1 is excepted under 'eks-no-such-exception', but its EKS exception in hardening/exceptions.yaml is "
     "'eks-ip-forwarding'"),
    (_relabel("1.1.2.1", status="pass", detail="ok"), "1.1.2.1 is pass, but the profile renders it excluded"),
    (_relabel("1.1.1.3", level=2), "1.1.1.3 is level 2 automated, the profile says level 1 automated"),
])
def test_an_audit_that_does_not_account_for_the_profile_fails_the_gate(build, printed, capsys, phase, change,
                                                                      expected):
    controls = printed[1]["controls"]
    expected = expected.format(all=len(controls), late=sum(c["id"].split(".")[0] != "1" for c in controls))
    tamper(build, phase, change)
    status, err = run_gate(build, capsys)
    assert status == 1
    assert f"report: audit {phase}" in err and expected in err, err


def test_an_audit_of_another_level_fails_the_gate(build, printed, capsys):
    tamper(build, "after", lambda d: d.update(level=2))
    status, err = run_gate(build, capsys)
    assert status == 1 and "audit after is for al2023 v1.0.0 level 2 ipv4, expected al2023 v1.0.0 level 1 ipv4" in err


# --- the build folder itself --------------------------------------------------------------------


def test_a_script_other_than_the_planned_one_stops_the_gate(build):
    (build.build_dir / "cis-harden.sh").write_text(render("al2023", 1, (), "ipv4", allow_unimplemented=True))
    with pytest.raises(BuildError, match=r"cis-harden\.sh is not the script this build planned"):
        gate(build.build_dir)


@pytest.mark.parametrize("name", ["spec.json", "cis-harden.sh"])
def test_a_missing_file_of_the_build_folder_is_one_line(build, name):
    (build.build_dir / name).unlink()
    run = cli(build.build_dir)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.strip() == f"error: gate: {build.build_dir / name} is missing; the build folder is incomplete"


def test_a_fifo_or_symlink_as_audit_is_refused_without_waiting(build):
    after = build.build_dir / "audit-after.json"
    kept = after.read_text()
    after.unlink()
    os.mkfifo(after)
    run = cli(build.build_dir)  # a reader that opened the FIFO would wait for a writer until the timeout
    assert run.returncode == 1 and f"{after} is a FIFO, not a regular file" in run.stderr
    after.unlink()
    (build.build_dir / "elsewhere.json").write_text(kept)
    after.symlink_to(build.build_dir / "elsewhere.json")
    run = cli(build.build_dir)
    assert run.returncode == 1 and f"{after} is a symbolic link" in run.stderr and "Traceback" not in run.stderr


def test_corrupt_audits_stay_precise(build):
    (build.build_dir / "audit-after.json").write_text("{}")
    run = cli(build.build_dir)
    assert run.returncode == 1 and "does not match schemas/audit.schema.json" in run.stderr
    (build.build_dir / "audit-after.json").write_text("[" * 100_000)
    run = cli(build.build_dir)
    assert run.returncode == 1 and "nested too deeply" in run.stderr and "Traceback" not in run.stderr


# --- regressions and blocking controls on complete audits -----------------------------------------


def test_a_control_that_passed_before_and_fails_after_is_a_regression(build, printed):
    script, audit = printed
    profile = expected_profile("al2023", 1, EXCLUDED, "ipv4", script)
    before = on_the_builder(audit, hardened=True)
    after = copy.deepcopy(before)
    _relabel("1.1.1.3", status="fail", detail="cramfs loadable")(after)
    result = evaluate(before, after, profile)
    assert not result.problems
    assert result.regressions == ["1.1.1.3 Ensure mounting of cramfs filesystems is disabled: pass -> fail "
                                  "(cramfs loadable)"]


def test_failing_or_deferred_controls_block_even_without_regression(build, printed):
    script, audit = printed
    profile = expected_profile("al2023", 1, EXCLUDED, "ipv4", script)
    stock = on_the_builder(audit, hardened=False)
    after = copy.deepcopy(stock)
    failing = [c["id"] for c in stock["controls"] if c["status"] == "fail"]
    _relabel(failing[0], status="deferred", detail="relabel at next boot")(after)
    result = evaluate(stock, after, profile)
    assert not result.problems and not result.regressions
    assert len(result.blocking) == len(failing) and any(": deferred (relabel at next boot)" in b for b in result.blocking)


def test_excepted_and_excluded_controls_never_block(build, printed):
    script, audit = printed
    profile = expected_profile("al2023", 1, EXCLUDED, "ipv4", script)
    after = on_the_builder(audit, hardened=True)
    assert {c["status"] for c in after["controls"]} >= {"excepted", "excluded"}
    assert evaluate(after, after, profile).passed


@pytest.mark.parametrize("text", ["[]", '{"stack": "test"}', "{not json"])
def test_a_spec_that_is_not_a_build_spec_is_one_line(build, text):
    (build.build_dir / "spec.json").write_text(text)
    run = cli(build.build_dir)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"error: gate: {build.build_dir / 'spec.json'}") and run.stderr.count("\n") == 1

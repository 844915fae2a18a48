"""The build gate: regressions and failing or deferred controls stop a build; exceptions do not."""

from __future__ import annotations

import json
import subprocess
import sys

from hardened_eks.ami_build.gate import evaluate
from tests.ami_helpers import audit_doc, make_spec
from tests.conftest import ROOT


def test_clean_hardening_passes():
    before = audit_doc({"1.1": "fail", "1.2": "pass", "3.2.1": "excepted", "1.3": "manual"})
    after = audit_doc({"1.1": "pass", "1.2": "pass", "3.2.1": "excepted", "1.3": "manual"})
    assert evaluate(before, after, "al2023", 1, ()).passed


def test_a_control_that_passed_before_and_fails_after_is_a_regression():
    before = audit_doc({"1.1": "pass", "1.2": "pass"})
    after = audit_doc({"1.1": "fail", "1.2": "pass"})
    result = evaluate(before, after, "al2023", 1, ())
    assert not result.passed
    assert result.regressions == ["1.1 Control 1.1: pass -> fail (evidence for 1.1)"]
    assert "1 regression(s)" in result.summary()


def test_failing_or_deferred_controls_block_even_without_regression():
    before = audit_doc({"1.1": "fail", "1.2": "fail"})
    after = audit_doc({"1.1": "fail", "1.2": "deferred"})
    result = evaluate(before, after, "al2023", 1, ())
    assert not result.passed and len(result.blocking) == 2 and not result.regressions


def test_excluded_controls_stay_out_of_the_gate_but_must_match_the_build():
    before = audit_doc({"1.1": "excluded", "1.2": "pass"}, excluded=("1.1",))
    after = audit_doc({"1.1": "excluded", "1.2": "pass"}, excluded=("1.1",))
    assert evaluate(before, after, "al2023", 1, ("1.1",)).passed
    wrong = evaluate(before, after, "al2023", 1, ())
    assert not wrong.passed and "excluded ['1.1'], expected []" in wrong.problems[0]


def test_an_audit_of_another_level_is_rejected():
    doc = audit_doc({"1.1": "pass"}, level=2)
    assert not evaluate(doc, doc, "al2023", 1, ()).passed


def test_gate_command_reads_the_build_folder_and_exits_non_zero_on_failure(tmp_path):
    spec = make_spec(tmp_path)
    spec.build_dir.mkdir(parents=True)
    (spec.build_dir / "spec.json").write_text(spec.to_json())
    (spec.build_dir / "audit-before.json").write_text(json.dumps(audit_doc({"1.1": "pass"})))
    (spec.build_dir / "audit-after.json").write_text(json.dumps(audit_doc({"1.1": "fail"})))
    failed = subprocess.run([sys.executable, "-m", "hardened_eks.ami_build", "gate", str(spec.build_dir)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert failed.returncode == 1 and "gate: FAILED" in failed.stderr and "Traceback" not in failed.stderr
    (spec.build_dir / "audit-after.json").write_text(json.dumps(audit_doc({"1.1": "pass"})))
    passed = subprocess.run([sys.executable, "-m", "hardened_eks.ami_build", "gate", str(spec.build_dir)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert passed.returncode == 0 and "gate: passed" in passed.stderr
    (spec.build_dir / "audit-after.json").write_text("{}")
    broken = subprocess.run([sys.executable, "-m", "hardened_eks.ami_build", "gate", str(spec.build_dir)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert broken.returncode == 1 and "does not match schemas/audit.schema.json" in broken.stderr

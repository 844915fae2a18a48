"""The build runner against a fake `packer`: success, failure, missing manifest, update and delete."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hardened_eks.ami_build.runner import BuildError, Runner
from hardened_eks.ami_build.spec import SPEC_ENV, BuildOutput
from hardened_eks.results import read_result
from tests.ami_helpers import StubbedEc2, audit_doc, image, make_spec, use_stand_in_script
from tests.conftest import ROOT

FAKE_BIN = ROOT / "tests" / "fixtures" / "packer"


@pytest.fixture
def fake_packer(tmp_path, monkeypatch):
    """PATH with the fake packer and session-manager-plugin; audits the download steps bring back."""
    use_stand_in_script(monkeypatch)
    files = tmp_path / "downloads"
    files.mkdir()
    (files / "audit-before.json").write_text(json.dumps(audit_doc({"1.1.1": "fail", "1.2.1": "pass"})))
    (files / "audit-after.json").write_text(json.dumps(audit_doc({"1.1.1": "pass", "1.2.1": "pass"})))
    calls = tmp_path / "calls.jsonl"
    monkeypatch.setenv("PATH", f"{FAKE_BIN}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("HARDENED_EKS_PACKER", raising=False)
    monkeypatch.setenv("FAKE_PACKER_FILES", str(files))
    monkeypatch.setenv("FAKE_PACKER_CALLS", str(calls))
    monkeypatch.setenv("FAKE_PACKER_MODE", "success")
    return calls


def packer_calls(calls: Path) -> list[list[str]]:
    return [json.loads(line) for line in calls.read_text().splitlines()] if calls.exists() else []


def test_success_parses_every_region_from_the_manifest_and_writes_results(tmp_path, fake_packer):
    spec = make_spec(tmp_path)
    ec2 = StubbedEc2()
    ec2.expect_images_named("us-west-2", spec.ami_name, [])  # nothing to reuse
    output = Runner(spec, ec2_for=ec2, say=lambda _: None).create()

    assert output.amis == {"us-west-2": f"ami-{1:017x}", "us-east-1": f"ami-{2:017x}", "eu-west-1": f"ami-{3:017x}"}
    assert output.ami_id == f"ami-{1:017x}"  # the build region's AMI, never the stale run's
    assert output.build_hash == spec.build_hash
    init, build = packer_calls(fake_packer)
    assert init[0] == "init"
    assert build[:3] == ["build", "-color=false", "-only=amazon-ebs.harden-eks-optimized"]
    variables = json.loads((spec.build_dir / "variables.pkrvars.json").read_text())
    assert variables["ami_regions"] == ["us-east-1", "eu-west-1"]
    assert variables["ami_tags"]["hardened-eks:build-hash"] == spec.build_hash
    assert variables["remote_work_dir"].startswith("/home/") and not variables["shell_remote_folder"].startswith("/tmp")
    assert (spec.build_dir / "cis-harden.sh").read_text().startswith("#!/usr/bin/env bash")
    build_result = read_result(tmp_path / "results", "test", "eks-optimized-al2023", 1, "build")
    assert build_result["amiId"] == output.ami_id and len(build_result["amis"]) == 3
    assert read_result(tmp_path / "results", "test", "eks-optimized-al2023", 1, "audit")["summary"]["pass"] == 2
    assert "Creating AMI" in (spec.build_dir / "build.log").read_text()
    ec2.assert_done()


def test_failure_reports_the_log_tail_and_removes_half_made_amis(tmp_path, fake_packer, monkeypatch):
    monkeypatch.setenv("FAKE_PACKER_MODE", "fail")
    spec = make_spec(tmp_path)
    ec2 = StubbedEc2()
    ec2.expect_images_named("us-west-2", spec.ami_name, [])
    half_made = image("ami-0aaaaaaaaaaaaaaaa", "2026-01-01T00:00:00.000Z", ("snap-0aaaaaaaaaaaaaaaa",),
                      name=spec.ami_name, state="pending")
    ec2.expect_images_named("eu-west-1", spec.ami_name, [])
    ec2.expect_images_named("us-east-1", spec.ami_name, [])
    ec2.expect_images_named("us-west-2", spec.ami_name, [half_made])
    ec2.expect_removal("us-west-2", half_made)

    with pytest.raises(BuildError) as failure:
        Runner(spec, ec2_for=ec2, say=lambda _: None).create()
    message = str(failure.value)
    assert "exited with status 1" in message
    assert "gate: FAILED" in message and "errored after 12 minutes" in message
    assert "provisioning step 59" in message and "provisioning step 5\n" not in message  # only the tail
    assert f"Full log: {spec.build_dir / 'build.log'}" in message
    assert "ami-0aaaaaaaaaaaaaaaa" in message
    assert read_result(tmp_path / "results", "test", "eks-optimized-al2023", 1, "build") is None
    ec2.assert_done()


@pytest.mark.parametrize(("mode", "expected"), [("no-manifest", "wrote no manifest"),
                                                 ("missing-region", "no AMI for region(s) us-east-1, eu-west-1")])
def test_a_build_without_usable_manifest_fails_clearly(tmp_path, fake_packer, monkeypatch, mode, expected):
    monkeypatch.setenv("FAKE_PACKER_MODE", mode)
    spec = make_spec(tmp_path)
    ec2 = StubbedEc2()
    ec2.expect_images_named("us-west-2", spec.ami_name, [])
    registered = image("ami-0aaaaaaaaaaaaaaaa", "2026-01-01T00:00:00.000Z", name=spec.ami_name)
    ec2.expect_images_named("eu-west-1", spec.ami_name, [])
    ec2.expect_images_named("us-east-1", spec.ami_name, [])
    ec2.expect_images_named("us-west-2", spec.ami_name, [registered])
    ec2.expect_removal("us-west-2", registered)
    with pytest.raises(BuildError, match=re.escape(expected)) as failure:
        Runner(spec, ec2_for=ec2, say=lambda _: None).create()
    assert "removed the half-made AMI(s) ami-0aaaaaaaaaaaaaaaa" in str(failure.value)
    ec2.assert_done()


def test_a_retained_image_of_the_same_build_is_reused_without_packer(tmp_path, fake_packer):
    spec = make_spec(tmp_path, ami_regions=("us-east-1",), region_kms_key_ids={"us-east-1": "alias/aws/ebs"})
    ec2 = StubbedEc2()
    ec2.expect_images_named("us-west-2", spec.ami_name, [image("ami-0111111111111111a", "2026-01-01", name="x")])
    ec2.expect_images_named("us-east-1", spec.ami_name, [image("ami-0111111111111111b", "2026-01-01", name="x")])
    output = Runner(spec, ec2_for=ec2, say=lambda _: None).create()
    assert output.amis == {"us-west-2": "ami-0111111111111111a", "us-east-1": "ami-0111111111111111b"}
    assert packer_calls(fake_packer) == []


def test_update_with_unchanged_hash_rebuilds_nothing_and_prunes_to_retention(tmp_path, fake_packer):
    spec = make_spec(tmp_path, ami_regions=(), region_kms_key_ids={}, retention=2)
    previous = BuildOutput("ami-0333333333333333c", {"us-west-2": "ami-0333333333333333c"}, spec.build_hash,
                           spec.source_ami_id, spec.ami_name)
    newest, middle, oldest = (image("ami-0333333333333333c", "2026-03-01T00:00:00.000Z"),
                              image("ami-0222222222222222b", "2026-02-01T00:00:00.000Z"),
                              image("ami-0111111111111111a", "2026-01-01T00:00:00.000Z", ("snap-01", "snap-02")))
    ec2 = StubbedEc2()
    ec2.expect_images_of("us-west-2", spec, [oldest, newest, middle])
    ec2.expect_removal("us-west-2", oldest)
    output = Runner(spec, ec2_for=ec2, say=lambda _: None).update(previous.to_json())
    assert output == previous
    assert packer_calls(fake_packer) == []
    ec2.assert_done()


def test_update_with_a_new_hash_builds_then_prunes(tmp_path, fake_packer):
    spec = make_spec(tmp_path, ami_regions=(), region_kms_key_ids={}, retention=1)
    previous = BuildOutput("ami-0222222222222222b", {"us-west-2": "ami-0222222222222222b"}, "f" * 64,
                           spec.source_ami_id, "older")
    ec2 = StubbedEc2()
    ec2.expect_images_named("us-west-2", spec.ami_name, [])
    fresh, old = image(f"ami-{1:017x}", "2026-03-01T00:00:00.000Z"), image("ami-0222222222222222b", "2026-01-01")
    ec2.expect_images_of("us-west-2", spec, [old, fresh])
    ec2.expect_removal("us-west-2", old)
    output = Runner(spec, ec2_for=ec2, say=lambda _: None).update(previous.to_json())
    assert output.ami_id == f"ami-{1:017x}"
    assert [c[0] for c in packer_calls(fake_packer)] == ["init", "build"]
    ec2.assert_done()


def test_delete_removes_every_ami_and_snapshot_in_every_region(tmp_path):
    spec = make_spec(tmp_path, ami_regions=("us-east-1",), region_kms_key_ids={"us-east-1": "alias/aws/ebs"})
    # A region the stack copied to earlier but no longer lists still gets cleaned up.
    previous = BuildOutput("ami-0aaaaaaaaaaaaaaaa", {"us-west-2": "ami-0aaaaaaaaaaaaaaaa",
                                                     "ap-southeast-2": "ami-0bbbbbbbbbbbbbbbb"},
                           spec.build_hash, spec.source_ami_id, spec.ami_name)
    ec2 = StubbedEc2()
    west = [image("ami-0aaaaaaaaaaaaaaaa", "2026-02-01", ("snap-0a1", "snap-0a2")), image("ami-0cccccccccccccccc", "2026-01-01")]
    ec2.expect_images_of("ap-southeast-2", spec, [image("ami-0bbbbbbbbbbbbbbbb", "2026-02-01", ("snap-0b1",))])
    ec2.expect_removal("ap-southeast-2", image("ami-0bbbbbbbbbbbbbbbb", "2026-02-01", ("snap-0b1",)))
    ec2.expect_images_of("us-east-1", spec, [])
    ec2.expect_images_of("us-west-2", spec, west)
    ec2.expect_removal("us-west-2", west[0])
    ec2.expect_removal("us-west-2", west[1])
    removed = Runner(spec, ec2_for=ec2, say=lambda _: None).delete(previous.to_json())
    assert sorted(removed) == ["ami-0aaaaaaaaaaaaaaaa", "ami-0bbbbbbbbbbbbbbbb", "ami-0cccccccccccccccc"]
    ec2.assert_done()


def test_a_changed_hardening_script_stops_the_build(tmp_path, fake_packer, monkeypatch):
    spec = make_spec(tmp_path, script_sha256="1" * 64)
    with pytest.raises(BuildError, match="differs from the one the plan hashed"):
        Runner(spec, ec2_for=StubbedEc2(), say=lambda _: None).create()
    assert packer_calls(fake_packer) == []


def test_missing_session_manager_plugin_is_named(tmp_path, monkeypatch):
    use_stand_in_script(monkeypatch)
    only_packer = tmp_path / "bin"
    only_packer.mkdir()
    (only_packer / "packer").symlink_to(FAKE_BIN / "packer")
    monkeypatch.setenv("PATH", str(only_packer))
    with pytest.raises(BuildError, match="session-manager-plugin"):
        Runner(make_spec(tmp_path), ec2_for=StubbedEc2(), say=lambda _: None).create()


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hardened_eks.ami_build", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env}, check=False)


def test_cli_errors_are_messages_not_tracebacks(tmp_path):
    spec = make_spec(tmp_path)
    missing = run_cli("create", env={SPEC_ENV: ""})
    assert missing.returncode == 1 and f"{SPEC_ENV} is not set" in missing.stderr
    tampered = json.loads(spec.to_json())
    tampered["source_ami_id"] = "ami-0fffffffffffffff0"
    edited = run_cli("create", env={SPEC_ENV: json.dumps(tampered)})
    assert edited.returncode == 1 and "does not match its content" in edited.stderr
    for result in (missing, edited):
        assert "Traceback" not in result.stderr

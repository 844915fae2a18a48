"""The build runner against a fake `packer` and a moto EC2 server: what is left in the account after each step.

The fake Packer does to EC2 what the amazon-ebs builder does (builder instance with run tags, temporary key
pair, AMI with tagged snapshots, copies), so every assertion is about the account, not about our calls.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import boto3
import pytest
from botocore.stub import Stubber

from hardened_eks.ami_build import images
from hardened_eks.ami_build.runner import BuildError
from hardened_eks.ami_build.spec import SPEC_ENV, BuildOutput
from hardened_eks.results import read_result
from tests.ami_fixtures import fake_bin, packer_calls, runner
from tests.ami_helpers import make_spec, use_stand_in_script
from tests.aws_server import ec2, stack_images
from tests.conftest import ROOT


def test_success_registers_every_region_and_leaves_no_builder(tmp_path, fake_packer):
    spec = make_spec(tmp_path)
    output = runner(spec).create()

    assert set(output.amis) == {"us-west-2", "us-east-1", "eu-west-1"}
    for region, ami in output.amis.items():
        [found] = stack_images("test", region)
        assert found["ImageId"] == ami and found["Name"] == spec.ami_name
        assert {"Key": "hardened-eks:build-hash", "Value": spec.build_hash} in found["Tags"]
    assert output.ami_id == output.amis["us-west-2"]  # the build region's AMI, never the stale run's
    live = ec2().describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["running", "pending"]}])
    assert not [i for r in live["Reservations"] for i in r["Instances"]]
    assert ec2().describe_key_pairs()["KeyPairs"] == []
    init, build = packer_calls(fake_packer)
    assert init[0] == "init"
    assert build[:3] == ["build", "-color=false", "-only=amazon-ebs.harden-eks-optimized"]
    variables = json.loads((spec.build_dir / "variables.pkrvars.json").read_text())
    assert variables["run_tags"]["hardened-eks:build-hash"] == spec.build_hash
    assert variables["temporary_key_pair_name"] == spec.ami_name
    assert variables["remote_work_dir"].startswith("/home/") and not variables["shell_remote_folder"].startswith("/tmp")
    assert (spec.build_dir / "cis-harden.sh").read_text().startswith("#!/usr/bin/env bash")
    build_result = read_result(tmp_path / "results", "test", "eks-optimized-al2023", 1, "build")
    assert build_result["amiId"] == output.ami_id and len(build_result["amis"]) == 3
    assert read_result(tmp_path / "results", "test", "eks-optimized-al2023", 1, "audit")["summary"]["pass"] == 2
    assert "Creating AMI" in (spec.build_dir / "build.log").read_text()


def test_failure_reports_the_log_tail(tmp_path, fake_packer, monkeypatch):
    monkeypatch.setenv("FAKE_PACKER_MODE", "fail")
    spec = make_spec(tmp_path)
    with pytest.raises(BuildError) as failure:
        runner(spec).create()
    message = str(failure.value)
    assert "exited with status 1" in message
    assert "gate: FAILED" in message and "errored after 12 minutes" in message
    assert "provisioning step 59" in message and "provisioning step 5\n" not in message  # only the tail
    assert f"Full log: {spec.build_dir / 'build.log'}" in message
    assert read_result(tmp_path / "results", "test", "eks-optimized-al2023", 1, "build") is None


@pytest.mark.parametrize(("mode", "expected"), [("no-manifest", "wrote no manifest"),
                                                 ("missing-region", "no AMI for region(s) us-east-1, eu-west-1")])
def test_a_build_without_usable_manifest_removes_what_it_registered(tmp_path, fake_packer, monkeypatch, mode,
                                                                     expected):
    monkeypatch.setenv("FAKE_PACKER_MODE", mode)
    spec = make_spec(tmp_path)
    with pytest.raises(BuildError, match=re.escape(expected)) as failure:
        runner(spec).create()
    assert "removed the half-made AMI(s)" in str(failure.value)
    for region in ("us-west-2", "us-east-1", "eu-west-1"):
        assert stack_images("test", region) == []


def test_a_retained_image_of_the_same_build_is_reused_without_packer(tmp_path, fake_packer):
    spec = make_spec(tmp_path, ami_regions=("us-east-1",), region_kms_key_ids={"us-east-1": "alias/aws/ebs"})
    first = runner(spec).create()
    again = runner(spec).create()
    assert again.amis == first.amis
    assert [c[0] for c in packer_calls(fake_packer)] == ["init", "build"]


def test_update_with_unchanged_hash_rebuilds_nothing(tmp_path, fake_packer):
    spec = make_spec(tmp_path, ami_regions=(), region_kms_key_ids={}, retention=2)
    built = runner(spec).create()
    output = runner(spec).update(built.to_json())
    assert output == built
    assert [c[0] for c in packer_calls(fake_packer)] == ["init", "build"]


def test_update_rebuilds_an_unchanged_build_whose_ami_was_deleted_by_hand(tmp_path, fake_packer):
    spec = make_spec(tmp_path, ami_regions=(), region_kms_key_ids={})
    built = runner(spec).create()
    ec2().deregister_image(ImageId=built.ami_id)
    output = runner(spec).update(built.to_json())
    assert output.ami_id != built.ami_id and stack_images("test", "us-west-2")[0]["ImageId"] == output.ami_id


def test_retention_keeps_the_current_the_newest_and_what_is_in_use(tmp_path, fake_packer):
    """Three rebuilds with retention 2: the first AMI goes unless something still runs it."""
    common = dict(ami_regions=(), region_kms_key_ids={}, retention=2)
    outputs = []
    for source in ("ami-0000000000000000a", "ami-0000000000000000b", "ami-0000000000000000c"):
        spec = make_spec(tmp_path, source_ami_id=source, **common)
        outputs.append(runner(spec).update(outputs[-1].to_json() if outputs else None))
    left = {i["ImageId"] for i in stack_images("test", "us-west-2")}
    assert left == {outputs[1].ami_id, outputs[2].ami_id}

    # A node still running the older AMI keeps it through the next prune.
    ec2().run_instances(ImageId=outputs[1].ami_id, MinCount=1, MaxCount=1)
    spec = make_spec(tmp_path, source_ami_id="ami-0000000000000000d", **common)
    outputs.append(runner(spec).update(outputs[-1].to_json()))
    left = {i["ImageId"] for i in stack_images("test", "us-west-2")}
    assert left == {outputs[1].ami_id, outputs[2].ami_id, outputs[3].ami_id}


def test_rolling_back_to_a_retained_build_keeps_it_even_though_it_is_older(tmp_path, fake_packer):
    common = dict(ami_regions=(), region_kms_key_ids={}, retention=1)
    first_spec = make_spec(tmp_path, source_ami_id="ami-0000000000000000a", **common)
    first = runner(first_spec).create()
    second = runner(make_spec(tmp_path, source_ami_id="ami-0000000000000000b", **common)).update(first.to_json())
    ec2().run_instances(ImageId=second.ami_id, MinCount=1, MaxCount=1)  # keeps it until the nodes roll
    # The first AMI was pruned by retention 1 (nothing used it); rolling back rebuilds it under its old name.
    back = runner(first_spec).update(second.to_json())
    assert back.build_hash == first.build_hash
    assert back.ami_id in {i["ImageId"] for i in stack_images("test", "us-west-2")}


def test_a_changed_hardening_script_stops_the_build(tmp_path, fake_packer):
    spec = make_spec(tmp_path, script_sha256="1" * 64)
    with pytest.raises(BuildError, match="differs from the one the plan hashed"):
        runner(spec).create()
    assert packer_calls(fake_packer) == []


def test_missing_session_manager_plugin_is_named(tmp_path, monkeypatch):
    use_stand_in_script(monkeypatch)
    monkeypatch.setenv("PATH", f"{fake_bin(tmp_path / 'bin', with_plugin=False)}{os.pathsep}/usr/bin:/bin")
    with pytest.raises(BuildError, match="session-manager-plugin"):
        runner(make_spec(tmp_path)).create()


def test_an_old_packer_stops_the_build_before_anything_is_launched(tmp_path, fake_packer, monkeypatch):
    monkeypatch.setenv("FAKE_PACKER_VERSION", "1.9.4")
    with pytest.raises(BuildError, match=r"is 1\.9\.4; hardened-eks needs 1\.10\.0 or newer"):
        runner(make_spec(tmp_path)).create()
    assert packer_calls(fake_packer) == []


def test_concurrent_builds_run_packer_init_one_at_a_time(tmp_path, fake_packer, monkeypatch):
    """`packer init` rewrites the plugin binary in place; two inits at once can truncate a running plugin."""
    monkeypatch.setenv("FAKE_PACKER_INIT_SECONDS", "0.6")
    monkeypatch.setenv("FAKE_PACKER_MODE", "fail")  # init is what matters here
    env = dict(os.environ)
    script = ("import sys; from tests.ami_helpers import make_spec, use_stand_in_script\n"
              "from pathlib import Path\nimport hardened_eks.ami_build.spec as s\n"
              "s.hardening_script = lambda *a: __import__('tests.ami_helpers').ami_helpers.STAND_IN_SCRIPT\n"
              "from hardened_eks.ami_build.runner import Runner, BuildError\n"
              "spec = make_spec(Path(sys.argv[1]), pattern=sys.argv[2])\n"
              "try:\n    Runner(spec, say=lambda _: None).create()\nexcept BuildError:\n    pass\n")
    processes = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), pattern], cwd=ROOT, env=env)
                 for pattern in ("eks-optimized-al2023", "cis-al2023")]
    assert all(p.wait(timeout=120) == 0 for p in processes)
    inits = sorted((c["start"], c["end"]) for c in map(json.loads, fake_packer.read_text().splitlines())
                   if c["argv"][0] == "init")
    assert len(inits) == 2
    assert inits[0][1] <= inits[1][0], f"packer init ran concurrently: {inits}"


def test_snapshots_still_in_use_right_after_deregistering_are_retried():
    client = boto3.client("ec2", region_name="us-west-2", aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(client)
    image = {"ImageId": "ami-0123456789abcdef0", "Name": "n",
             "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": "snap-0123456789abcdef0"}}]}
    stub.add_response("deregister_image", {}, {"ImageId": image["ImageId"], "DeleteAssociatedSnapshots": True})
    stub.add_response("describe_snapshots", {"Snapshots": [{"SnapshotId": "snap-0123456789abcdef0"}]}, None)
    stub.add_client_error("delete_snapshot", "InvalidSnapshot.InUse", "in use by ami-0123456789abcdef0")
    stub.add_client_error("delete_snapshot", "InvalidSnapshot.InUse", "in use by ami-0123456789abcdef0")
    stub.add_response("delete_snapshot", {}, {"SnapshotId": "snap-0123456789abcdef0"})
    waited = []
    with stub:
        images.remove_image(client, image, lambda _: None, sleep=waited.append)
    stub.assert_no_pending_responses()
    assert waited == [2, 4]


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
    unusable = run_cli("delete", env={SPEC_ENV: json.dumps({"pattern": "x"})})
    assert unusable.returncode == 1 and "cannot say what to delete" in unusable.stderr
    for result in (missing, edited, unusable):
        assert "Traceback" not in result.stderr


def test_previous_output_round_trips():
    output = BuildOutput("ami-1", {"us-west-2": "ami-1"}, "h", "ami-src", "name")
    assert BuildOutput.parse("note\n" + output.to_json()) == output

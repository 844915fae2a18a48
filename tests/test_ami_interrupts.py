"""Cancelling `pulumi up` must leave nothing that costs money.

pulumi-command kills the runner with SIGKILL on cancel or timeout (exec.CommandContext); Packer cleans up
(terminates its builder, deletes its key pair and half-made AMIs) only on SIGTERM or SIGINT. The fake
Packer here launches a builder in the moto account and records the signals it gets.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from hardened_eks.ami_build.runner import BuildError, Runner
from tests.ami_helpers import make_spec
from tests.aws_server import ec2, stack_images
from tests.conftest import ROOT

RUN_BUILD = """
import sys
from pathlib import Path
import hardened_eks.ami_build.spec as spec_module
from tests import ami_helpers
spec_module.hardening_script = lambda *args: ami_helpers.STAND_IN_SCRIPT
from hardened_eks.ami_build.runner import Runner
Runner(ami_helpers.make_spec(Path(sys.argv[1]), ami_regions=(), region_kms_key_ids={})).create()
"""


def start_build(tmp_path: Path, monkeypatch) -> tuple[subprocess.Popen, Path]:
    monkeypatch.setenv("FAKE_PACKER_MODE", "hang")
    signals = tmp_path / "signals"
    monkeypatch.setenv("FAKE_PACKER_SIGNALS", str(signals))
    build = subprocess.Popen([sys.executable, "-c", RUN_BUILD, str(tmp_path)], cwd=ROOT, env=dict(os.environ),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = make_spec(tmp_path).build_dir / "build.log"
    deadline = time.monotonic() + 60
    while not (log.exists() and "Waiting for SSM" in log.read_text()):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the fake Packer never started"
        time.sleep(0.1)
    return build, signals


def wait_for(path: Path, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text()
        time.sleep(0.1)
    return ""


def builders_left() -> list[str]:
    found = ec2().describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["pending", "running"]}])
    return [i["InstanceId"] for r in found["Reservations"] for i in r["Instances"]]


def test_a_killed_runner_still_lets_packer_clean_up(tmp_path, fake_packer, monkeypatch):
    build, signals = start_build(tmp_path, monkeypatch)
    assert builders_left()
    build.kill()  # what pulumi-command does on cancel: SIGKILL, which no handler sees
    build.wait(timeout=30)
    assert wait_for(signals).split() == ["SIGTERM"]
    deadline = time.monotonic() + 20
    while builders_left() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert builders_left() == [] and ec2().describe_key_pairs()["KeyPairs"] == []


def test_a_stopped_runner_forwards_the_stop_and_says_so(tmp_path, fake_packer, monkeypatch):
    build, signals = start_build(tmp_path, monkeypatch)
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode != 0 and "stopped by signal SIGTERM" in stderr
    assert wait_for(signals).split() == ["SIGTERM"]
    assert builders_left() == []


def test_the_next_create_sweeps_what_a_run_killed_with_packer_left(tmp_path, fake_packer, monkeypatch):
    """Packer itself SIGKILLed too (the machine went away): the next create removes the builder and key pair."""
    build, signals = start_build(tmp_path, monkeypatch)
    os.kill(int(Path(f"{signals}.pid").read_text()), signal.SIGKILL)
    build.kill()
    build.wait(timeout=30)
    assert builders_left()
    monkeypatch.setenv("FAKE_PACKER_MODE", "success")
    Runner(make_spec(tmp_path, ami_regions=(), region_kms_key_ids={}), say=lambda _: None).create()
    assert builders_left() == []
    assert ec2().describe_key_pairs()["KeyPairs"] == []
    # Only the finished AMI is left: the encrypted copy's temporary image went with the sweep.
    assert [i["Name"] for i in stack_images("test", "us-west-2")] == [
        make_spec(tmp_path, ami_regions=(), region_kms_key_ids={}).ami_name]


def marketplace_spec(tmp_path):
    return make_spec(tmp_path, pattern="cis-al2023", method="eks-on-cis-ami", ami_regions=(), region_kms_key_ids={},
                     marketplace_product="CIS Amazon Linux 2023 Benchmark - Level 1")


def dry_run(tmp_path, code: str):
    client = boto3.client("ec2", region_name="us-west-2", aws_access_key_id="x", aws_secret_access_key="x")
    spec = marketplace_spec(tmp_path)
    stub = Stubber(client)
    stub.add_client_error("run_instances", code, "answer", expected_params={
        "DryRun": True, "ImageId": spec.source_ami_id, "InstanceType": spec.instance_type, "SubnetId": spec.subnet_id,
        "MinCount": 1, "MaxCount": 1})
    with stub:
        Runner(spec, ec2_for=lambda _: client, say=lambda _: None)._check_subscription()


def test_a_missing_marketplace_subscription_is_named_before_packer_starts(tmp_path):
    with pytest.raises(BuildError, match='not subscribed to the AWS Marketplace product "CIS Amazon Linux 2023 '
                                         'Benchmark - Level 1"'):
        dry_run(tmp_path, "OptInRequired")


def test_a_subscribed_account_passes_the_dry_run(tmp_path):
    dry_run(tmp_path, "DryRunOperation")


def test_other_refusals_of_the_dry_run_are_named(tmp_path):
    with pytest.raises(BuildError, match="was refused: InvalidParameterCombination"):
        dry_run(tmp_path, "InvalidParameterCombination")


def test_a_new_run_waits_for_the_packer_of_an_interrupted_run_to_finish_cleaning_up(tmp_path, fake_packer):
    """That Packer deletes the key pair of this build's name on its way out; the new run's must survive it."""
    spec = make_spec(tmp_path, ami_regions=(), region_kms_key_ids={})
    spec.build_dir.mkdir(parents=True)
    started = time.time()
    cleaning_up = subprocess.Popen(["bash", "-c", "exec -a packer sleep 2"], start_new_session=True)
    (spec.build_dir / "packer.pid").write_text(f"{cleaning_up.pid}\n")
    Runner(spec, say=lambda _: None).create()
    finished = time.time()
    assert cleaning_up.wait(timeout=5) == 0  # the new build started only after it had gone
    starts = [json.loads(line)["start"] for line in fake_packer.read_text().splitlines()
              if json.loads(line)["argv"][0] == "build"]
    assert starts and started + 2 <= starts[0] <= finished

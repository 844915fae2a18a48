"""What pulumi-command does with a HardenedAmi's Command, played against a moto EC2 server.

pulumi-command runs `update` when an input changes (the Command has no triggers), and `delete` with the
inputs and stdout stored at create time, from whatever checkout runs `pulumi destroy`. A replacement
(create the new resource, point dependents at it, then delete the old one) must never take the new AMI;
a destroy must leave no AMI and no snapshot, copies included; an AMI something still runs stays.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config

from components.hardened_ami import RUNNER_INTERPRETER
from hardened_eks.ami_build.runner import BuildError, delete
from hardened_eks.ami_build.spec import SPEC_ENV, DeletionScope
from tests.ami_fixtures import runner
from tests.ami_helpers import make_spec
from tests.aws_server import ec2, existing_snapshots, snapshots_of, stack_images
from tests.conftest import ROOT

REGIONS = ("us-west-2", "us-east-1", "eu-west-1")
COPIES = dict(ami_regions=("us-east-1", "eu-west-1"),
              region_kms_key_ids={"us-east-1": "alias/aws/ebs", "eu-west-1": "alias/aws/ebs"})


def set_current(spec, output) -> None:
    """What the component's aws.ssm.Parameter does after a create or update: name the current AMI."""
    boto3.client("ssm", region_name=spec.region).put_parameter(
        Name=spec.parameter_name, Value=output.ami_id, Type="String", Overwrite=True)


def drop_current(spec) -> None:
    """A destroy deletes the SSM parameter (it depends on the Command) before the Command itself."""
    boto3.client("ssm", region_name=spec.region).delete_parameter(Name=spec.parameter_name)


def launch_template(image_id: str) -> str:
    return ec2().create_launch_template(LaunchTemplateName=f"nodes-{image_id}",
                                        LaunchTemplateData={"ImageId": image_id})["LaunchTemplate"]["LaunchTemplateId"]


def everything(stack: str = "test") -> dict[str, list[dict]]:
    return {region: stack_images(stack, region) for region in REGIONS}


def quiet_delete(spec_json: str, stdout: str):
    return delete(DeletionScope.from_json(spec_json), stdout, say=lambda _: None, sleep=lambda _: None)


def test_a_replacement_deletes_the_old_build_and_keeps_the_new_ami_and_its_snapshots(tmp_path, fake_packer):
    old_spec = make_spec(tmp_path, source_ami_id="ami-0000000000000000a", **COPIES)
    old = runner(old_spec).create()
    set_current(old_spec, old)
    new_spec = make_spec(tmp_path, source_ami_id="ami-0000000000000000b", **COPIES)

    # Replacement order: create the new resource, update dependents, delete the old with ITS stdout and inputs.
    new = runner(new_spec).create()
    set_current(new_spec, new)
    template = launch_template(new.ami_id)
    quiet_delete(old_spec.to_json(), old.to_json())

    left = everything()
    for region in REGIONS:
        assert [i["ImageId"] for i in left[region]] == [new.amis[region]]
        snapshots = snapshots_of(left[region])
        assert snapshots and existing_snapshots(region, snapshots) == snapshots
    assert template  # the node group's launch template still launches from an AMI that exists


def test_a_replacement_that_reused_the_same_build_keeps_it_in_every_region(tmp_path, fake_packer):
    spec = make_spec(tmp_path, **COPIES)
    first = runner(spec).create()
    set_current(spec, first)
    again = runner(spec).create()  # the new resource finds this very build and reuses it
    assert again.amis == first.amis
    set_current(spec, again)
    quiet_delete(spec.to_json(), first.to_json())
    assert {r: [i["ImageId"] for i in images] for r, images in everything().items()} == {
        r: [a] for r, a in first.amis.items()}


def test_destroy_removes_the_last_build_and_the_retained_ones_with_all_snapshots(tmp_path, fake_packer):
    outputs, snapshots = [], {region: [] for region in REGIONS}
    for source in ("ami-0000000000000000a", "ami-0000000000000000b"):
        spec = make_spec(tmp_path, source_ami_id=source, retention=2, **COPIES)
        outputs.append(runner(spec).update(outputs[-1].to_json() if outputs else None))
        set_current(spec, outputs[-1])
    for region, images in everything().items():
        assert len(images) == 2  # the current build and one retained for rollback
        snapshots[region] = snapshots_of(images)
    drop_current(spec)
    quiet_delete(spec.to_json(), outputs[-1].to_json())
    for region in REGIONS:
        assert stack_images("test", region) == []
        assert existing_snapshots(region, snapshots[region]) == []


def test_destroy_keeps_an_ami_that_an_instance_still_runs_and_says_so(tmp_path, fake_packer):
    spec = make_spec(tmp_path, ami_regions=(), region_kms_key_ids={})
    output = runner(spec).create()
    ec2().run_instances(ImageId=output.ami_id, MinCount=1, MaxCount=1)  # say, a Karpenter node elsewhere
    lines = []
    delete(DeletionScope.from_json(spec.to_json()), output.to_json(), say=lines.append, sleep=lambda _: None)
    assert [i["ImageId"] for i in stack_images("test", "us-west-2")] == [output.ami_id]
    assert any(output.ami_id in line and "instance" in line and "runs it" in line for line in lines)


def test_delete_sweeps_what_an_interrupted_run_of_the_same_build_left(tmp_path, fake_packer, monkeypatch):
    spec = make_spec(tmp_path, ami_regions=(), region_kms_key_ids={})
    monkeypatch.setenv("FAKE_PACKER_MODE", "success")
    runner(spec).create()
    # An interrupted run: its builder, key pair and an orphan snapshot, all tagged with the build.
    build_tag = [{"Key": "hardened-eks:build-hash", "Value": spec.build_hash}]
    source = ec2().describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2().run_instances(ImageId=source, MinCount=1, MaxCount=1,
                        TagSpecifications=[{"ResourceType": "instance", "Tags": build_tag}])
    ec2().create_key_pair(KeyName=spec.key_pair_name)
    volume = ec2().create_volume(AvailabilityZone="us-west-2a", Size=8)["VolumeId"]
    orphan = ec2().create_snapshot(VolumeId=volume, TagSpecifications=[{"ResourceType": "snapshot",
                                                                         "Tags": build_tag}])["SnapshotId"]
    quiet_delete(spec.to_json(), "")  # no stdout: the create never finished
    assert stack_images("test", "us-west-2") == []
    running = ec2().describe_instances(Filters=[{"Name": "tag:hardened-eks:build-hash", "Values": [spec.build_hash]},
                                                {"Name": "instance-state-name", "Values": ["pending", "running"]}])
    assert running["Reservations"] == []
    assert ec2().describe_key_pairs()["KeyPairs"] == []
    assert existing_snapshots("us-west-2", [orphan]) == []


def test_one_region_that_fails_does_not_leave_the_others_undone(tmp_path, fake_packer):
    spec = make_spec(tmp_path, **COPIES)
    output = runner(spec).create()
    real = boto3.client

    def broken_in_us_east_1(region):
        if region == "us-east-1":
            return real("ec2", region_name=region, endpoint_url="http://127.0.0.1:9",  # nothing listens there
                        config=Config(retries={"max_attempts": 1}, connect_timeout=1))
        return real("ec2", region_name=region)

    with pytest.raises(BuildError, match="us-east-1"):
        delete(DeletionScope.from_json(spec.to_json()), output.to_json(), ec2_for=broken_in_us_east_1,
               say=lambda _: None, sleep=lambda _: None)
    assert stack_images("test", "us-west-2") == [] and stack_images("test", "eu-west-1") == []
    assert [i["ImageId"] for i in stack_images("test", "us-east-1")] == [output.amis["us-east-1"]]


def other_checkout(tmp_path):
    """Another clone of the project, somewhere else, with its own virtualenv link."""
    clone = tmp_path / "elsewhere" / "hardened-eks"
    for folder in ("hardened_eks", "hardening", "packer"):
        shutil.copytree(ROOT / folder, clone / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (clone / ".venv").symlink_to(ROOT / ".venv")
    return clone


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "python").exists(), reason="needs the project's .venv")
def test_destroy_runs_from_another_checkout_with_a_spec_from_older_code(tmp_path, fake_packer):
    """Delete runs the stored interpreter in the provider's folder, with the stored environment."""
    spec = make_spec(tmp_path, ami_regions=(), region_kms_key_ids={})
    output = runner(spec).create()
    stored = json.loads(spec.to_json())
    # What older code stored (absolute paths of a machine that is gone), and a field newer code no longer knows.
    stored.update(project_dir="/home/runner/work/hardened-eks", python="/opt/hostedtoolcache/Python/bin/python3",
                  retired_field={"anything": 1})
    clone = other_checkout(tmp_path)
    assert not any(str(ROOT) in part or sys.executable in part for part in RUNNER_INTERPRETER)
    env = {k: v for k, v in os.environ.items() if k != "HARDENED_EKS_PYTHON"}
    env.update({SPEC_ENV: json.dumps(stored), "PULUMI_COMMAND_STDOUT": output.to_json(), "PATH": "/usr/bin:/bin"})
    result = subprocess.run([*RUNNER_INTERPRETER, "delete"], cwd=clone, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert stack_images("test", "us-west-2") == []
    assert "removed 1 AMI(s)" in result.stderr


def test_the_command_stores_no_path_of_this_machine(run_program):
    mocks = run_program({"patterns": [{"pattern": "eks-optimized-al2023", "levels": [1]}]})
    [command] = mocks.of_type("command:local:Command")
    stored = json.dumps(command.inputs)
    assert str(ROOT) not in stored and sys.executable not in stored
    assert "dir" not in command.inputs and "triggers" not in command.inputs


def test_a_temporary_image_packer_left_never_takes_a_rollback_amis_place(tmp_path, fake_packer):
    """encrypt_boot's temporary image (random name) carries the run tags, so it looks like a build of this
    pattern and level; retention counts finished builds only."""
    common = dict(ami_regions=(), region_kms_key_ids={}, retention=2)
    first = runner(make_spec(tmp_path, source_ami_id="ami-0000000000000000a", **common)).create()
    source = ec2().describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    builder = ec2().run_instances(ImageId=source, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2().create_image(InstanceId=builder, Name="packer-tmp-abc1234", TagSpecifications=[{
        "ResourceType": "image", "Tags": [{"Key": "hardened-eks:stack", "Value": "test"},
                                          {"Key": "hardened-eks:pattern", "Value": "eks-optimized-al2023"},
                                          {"Key": "hardened-eks:level", "Value": "1"},
                                          {"Key": "hardened-eks:build-hash", "Value": "f" * 64}]}])
    second = runner(make_spec(tmp_path, source_ami_id="ami-0000000000000000b", **common)).update(first.to_json())
    left = {i["ImageId"] for i in stack_images("test", "us-west-2") if i["Name"] != "packer-tmp-abc1234"}
    assert left == {first.ami_id, second.ami_id}

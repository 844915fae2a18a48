"""Shared builders for the AMI build tests: specs, audit reports, stubbed EC2 clients."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from hardened_eks import tags
from hardened_eks.ami_build import spec as spec_module
from hardened_eks.ami_build.spec import BuildSpec, sha256

STAND_IN_SCRIPT = "#!/usr/bin/env bash\n# stand-in for the rendered cis-harden.sh\necho audit\n"


def make_spec(tmp_path, **changes) -> BuildSpec:
    values = dict(
        stack="test", pattern="eks-optimized-al2023", level=1, method="harden-eks-optimized", os_family="al2023",
        benchmark="al2023", benchmark_version="v1.0.0", excluded=(), ip_family="ipv4", kubernetes_version="1.33",
        region="us-west-2", source_ami_id="ami-0123456789abcdef0", instance_type="m6i.large",
        kms_key_id="arn:aws:kms:us-west-2:123456789012:key/abc",
        ami_regions=("us-east-1", "eu-west-1"),
        region_kms_key_ids={"us-east-1": "alias/aws/ebs", "eu-west-1": "alias/aws/ebs"},
        ami_tags={tags.STACK: "test", tags.PATTERN: "eks-optimized-al2023", tags.LEVEL: "1"},
        script_sha256=sha256(STAND_IN_SCRIPT), template_sha256="0" * 64, retention=2,
        results_root=str(tmp_path / "results"), work_root=str(tmp_path / "work"))
    values.update(changes)
    return BuildSpec(**values).with_hash().with_builder({
        "HARDENED_EKS_BUILDER_SUBNET": "subnet-0123456789abcdef0",
        "HARDENED_EKS_BUILDER_SECURITY_GROUP": "sg-0123456789abcdef0",
        "HARDENED_EKS_BUILDER_INSTANCE_PROFILE": "builder-profile"})


def use_stand_in_script(monkeypatch) -> None:
    monkeypatch.setattr(spec_module, "hardening_script", lambda *args: STAND_IN_SCRIPT)


def audit_doc(statuses: dict[str, str], excluded: tuple[str, ...] = (), level: int = 1) -> dict:
    controls = []
    for control_id, status in statuses.items():
        control = {"id": control_id, "title": f"Control {control_id}", "level": 1, "assessment": "automated",
                   "status": status, "detail": f"evidence for {control_id}"}
        if status in ("excepted", "excluded"):
            control["reason"] = "because"
        if status == "excepted":
            control.update(exception="eks-forwarding", compensatingControl="security groups")
        controls.append(control)
    summary = {k: 0 for k in ("pass", "fail", "manual", "excepted", "excluded", "not-applicable", "deferred")}
    for status in statuses.values():
        summary[status] += 1
    return {"schemaVersion": 1, "kind": "audit", "benchmark": "al2023", "benchmarkVersion": "v1.0.0", "level": level,
            "ipFamily": "ipv4", "excluded": list(excluded), "root": "/", "controls": controls, "summary": summary}


class StubbedEc2:
    """One stubbed EC2 client per region; `factory` is what the runner calls."""

    def __init__(self):
        self.clients: dict[str, object] = {}
        self.stubbers: dict[str, Stubber] = {}

    def __call__(self, region: str):
        if region not in self.clients:
            client = boto3.client("ec2", region_name=region, aws_access_key_id="test", aws_secret_access_key="test")
            self.clients[region] = client
            self.stubbers[region] = Stubber(client)
            self.stubbers[region].activate()
        return self.clients[region]

    def stub(self, region: str) -> Stubber:
        self(region)
        return self.stubbers[region]

    def expect_images_named(self, region: str, name: str, found: list[dict]) -> None:
        self.stub(region).add_response("describe_images", {"Images": found},
                                       {"Owners": ["self"], "Filters": [{"Name": "name", "Values": [name]}]})

    def expect_images_of(self, region: str, spec: BuildSpec, found: list[dict]) -> None:
        self.stub(region).add_response("describe_images", {"Images": found}, {"Owners": ["self"], "Filters": [
            {"Name": f"tag:{tags.STACK}", "Values": [spec.stack]},
            {"Name": f"tag:{tags.PATTERN}", "Values": [spec.pattern]},
            {"Name": f"tag:{tags.LEVEL}", "Values": [str(spec.level)]}]})

    def expect_removal(self, region: str, image: dict) -> None:
        self.stub(region).add_response("deregister_image", {}, {"ImageId": image["ImageId"]})
        for mapping in image["BlockDeviceMappings"]:
            self.stub(region).add_response("delete_snapshot", {}, {"SnapshotId": mapping["Ebs"]["SnapshotId"]})

    def assert_done(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()


def image(image_id: str, created: str, snapshots: tuple[str, ...] = ("snap-0123456789abcdef0",),
          name: str = "img", state: str = "available") -> dict:
    return {"ImageId": image_id, "Name": name, "CreationDate": created, "State": state,
            "BlockDeviceMappings": [{"DeviceName": f"/dev/xvd{chr(97 + i)}", "Ebs": {"SnapshotId": s}}
                                    for i, s in enumerate(snapshots)]}

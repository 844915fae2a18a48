"""Find and remove this stack's hardened AMIs and what their builds left, in every region they were copied to.

Deregistering an AMI leaves its EBS snapshots (which cost money), so every removal deletes them too.
Nothing is removed while it is in use: an AMI that an instance runs, that the latest or default
version of a launch template names, or that the stack's SSM parameter calls current is kept, and
the caller is told why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from hardened_eks import tags

Ec2Factory = Callable[[str], Any]  # region -> boto3 EC2 client
SsmFactory = Callable[[str], Any]  # region -> boto3 SSM client
Log = Callable[[str], None]

LIVE_INSTANCE_STATES = ["pending", "running", "stopping", "stopped", "shutting-down"]
# EC2 may still call a snapshot in use for a short while after its AMI was deregistered.
SNAPSHOT_IN_USE_DELAYS = (2, 4, 8, 15, 30)


def default_ec2(region: str) -> Any:
    import boto3

    return boto3.client("ec2", region_name=region)


def default_ssm(region: str) -> Any:
    import boto3

    return boto3.client("ssm", region_name=region)


def images_of(ec2: Any, stack: str, pattern: str, level: int) -> list[dict]:
    """This account's AMIs of one (stack, pattern, level), newest first."""
    response = ec2.describe_images(Owners=["self"], Filters=[
        {"Name": f"tag:{tags.STACK}", "Values": [stack]},
        {"Name": f"tag:{tags.PATTERN}", "Values": [pattern]},
        {"Name": f"tag:{tags.LEVEL}", "Values": [str(level)]},
    ])
    return sorted(response.get("Images", []), key=lambda image: (image.get("CreationDate", ""), image["ImageId"]),
                  reverse=True)


def images_named(ec2: Any, name: str) -> list[dict]:
    return ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}]).get("Images", [])


def images_with_ids(ec2: Any, image_ids: Iterable[str]) -> list[dict]:
    """The AMIs among these ids that still exist (a filter, so an id already gone is no error)."""
    ids = sorted(set(image_ids))
    if not ids:
        return []
    return ec2.describe_images(Owners=["self"], Filters=[{"Name": "image-id", "Values": ids}]).get("Images", [])


def in_use(ec2: Any, image_ids: Iterable[str], current: Iterable[str] = ()) -> dict[str, str]:
    """image id -> why it must stay: an instance runs it, a launch template's latest or default version
    names it, or it is the current AMI of the stack (`current`)."""
    ids = sorted(set(image_ids))
    reasons: dict[str, str] = {i: "it is the stack's current AMI" for i in current if i in ids}
    if not ids:
        return reasons
    for page in ec2.get_paginator("describe_instances").paginate(Filters=[
            {"Name": "image-id", "Values": ids}, {"Name": "instance-state-name", "Values": LIVE_INSTANCE_STATES}]):
        for reservation in page.get("Reservations", []):
            for instance in reservation.get("Instances", []):
                reasons.setdefault(instance["ImageId"], f"instance {instance['InstanceId']} runs it")
    for page in ec2.get_paginator("describe_launch_template_versions").paginate(
            Versions=["$Latest", "$Default"], Filters=[{"Name": "image-id", "Values": ids}]):
        for version in page.get("LaunchTemplateVersions", []):
            image = version.get("LaunchTemplateData", {}).get("ImageId")
            if image in ids:
                reasons.setdefault(image, f"launch template {version.get('LaunchTemplateName')} version "
                                          f"{version.get('VersionNumber')} names it")
    return reasons


def current_ami(ssm: Any, parameter: str) -> str | None:
    """The AMI id the stack's SSM parameter holds, or None when the parameter does not exist."""
    try:
        return ssm.get_parameter(Name=parameter)["Parameter"]["Value"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ParameterNotFound":
            return None
        raise


def remove_image(ec2: Any, image: dict, log: Log, sleep: Callable[[float], None] = time.sleep) -> None:
    """Deregister the AMI with its snapshots; delete any snapshot EC2 left behind (retrying while it is still
    called in use by the AMI just deregistered)."""
    snapshots = [m["Ebs"]["SnapshotId"] for m in image.get("BlockDeviceMappings", [])
                 if m.get("Ebs", {}).get("SnapshotId")]
    ec2.deregister_image(ImageId=image["ImageId"], DeleteAssociatedSnapshots=True)
    for snapshot in existing_snapshots(ec2, snapshots):
        delete_snapshot(ec2, snapshot, sleep)
    log(f"removed {image['ImageId']} ({image.get('Name', '')}) and snapshots {', '.join(snapshots) or 'none'}")


def existing_snapshots(ec2: Any, snapshot_ids: Iterable[str]) -> list[str]:
    ids = sorted(set(snapshot_ids))
    if not ids:
        return []
    found = ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "snapshot-id", "Values": ids}])
    return [s["SnapshotId"] for s in found.get("Snapshots", [])]


def delete_snapshot(ec2: Any, snapshot: str, sleep: Callable[[float], None] = time.sleep) -> None:
    for delay in (*SNAPSHOT_IN_USE_DELAYS, None):
        try:
            ec2.delete_snapshot(SnapshotId=snapshot)
            return
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code == "InvalidSnapshot.NotFound":
                return
            if code != "InvalidSnapshot.InUse" or delay is None:
                raise
            sleep(delay)


@dataclass
class Removal:
    """What a clean-up did across regions; one region's failure does not stop the others."""

    removed: list[str] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)  # image id -> why it stays
    errors: list[str] = field(default_factory=list)  # "region: message"

    def merge(self, other: Removal) -> None:
        self.removed += other.removed
        self.kept.update(other.kept)
        self.errors += other.errors


def remove_unless_in_use(ec2_for: Ec2Factory, candidates: dict[str, list[dict]], log: Log,
                         current: Iterable[str] = (), sleep: Callable[[float], None] = time.sleep) -> Removal:
    """Remove the candidate AMIs (region -> images) that nothing uses; every region is attempted."""
    result = Removal()
    current = set(current)
    for region in sorted(candidates):
        images = candidates[region]
        if not images:
            continue

        def say(message: str, r: str = region) -> None:
            log(f"{r}: {message}")

        try:
            ec2 = ec2_for(region)
            busy = in_use(ec2, [i["ImageId"] for i in images], current)
            for image in images:
                if image["ImageId"] in busy:
                    result.kept[image["ImageId"]] = busy[image["ImageId"]]
                    say(f"kept {image['ImageId']} ({image.get('Name', '')}): {busy[image['ImageId']]}")
                    continue
                remove_image(ec2, image, say, sleep)
                result.removed.append(image["ImageId"])
        except (ClientError, BotoCoreError) as error:
            result.errors.append(f"{region}: {error}")
            say(f"could not finish: {error}")
    return result


def prune(ec2_for: Ec2Factory, regions: Iterable[str], stack: str, pattern: str, level: int, keep: int,
          log: Log, current: Iterable[str] = (), sleep: Callable[[float], None] = time.sleep,
          name_prefix: str = "") -> Removal:
    """Keep the `current` AMIs and the newest others up to `keep` AMIs per region; remove the rest unless in use.
    Only finished builds (named `name_prefix...`) count: a temporary image Packer left is the sweep's business."""
    current = set(current)
    candidates = {}
    for region in sorted(set(regions)):
        images = [i for i in images_of(ec2_for(region), stack, pattern, level)
                  if i.get("Name", "").startswith(name_prefix)]
        others = [i for i in images if i["ImageId"] not in current]
        room = max(keep - sum(1 for i in images if i["ImageId"] in current), 0)
        candidates[region] = others[room:]
    return remove_unless_in_use(ec2_for, candidates, log, current, sleep)


def sweep_build_leftovers(ec2: Any, build_hash: str, key_pair_name: str, log: Log,
                          sleep: Callable[[float], None] = time.sleep, ami_name: str | None = None) -> list[str]:
    """Remove what an interrupted run of this very build left in one region: builder instances, its temporary
    key pair, the temporary image of an encrypted copy (random name, tagged with the run tags), and snapshots
    tagged with the build that no AMI uses. Returns what it removed."""
    removed = []
    hash_filter = {"Name": f"tag:{tags.BUILD_HASH}", "Values": [build_hash]}
    if ami_name is not None:
        for image in ec2.describe_images(Owners=["self"], Filters=[hash_filter]).get("Images", []):
            if image.get("Name") != ami_name:
                remove_image(ec2, image, log, sleep)
                removed.append(image["ImageId"])
    instances = [i["InstanceId"]
                 for page in ec2.get_paginator("describe_instances").paginate(Filters=[
                     hash_filter, {"Name": "instance-state-name", "Values": LIVE_INSTANCE_STATES}])
                 for reservation in page.get("Reservations", []) for i in reservation.get("Instances", [])]
    if instances:
        ec2.terminate_instances(InstanceIds=instances)
        log(f"terminated builder instance(s) {', '.join(instances)} left by an interrupted run")
        removed += instances
    pairs = ec2.describe_key_pairs(Filters=[{"Name": "key-name", "Values": [key_pair_name]}]).get("KeyPairs", [])
    for pair in pairs:
        ec2.delete_key_pair(KeyName=pair["KeyName"])
        log(f"deleted the temporary key pair {pair['KeyName']} left by an interrupted run")
        removed.append(pair["KeyName"])
    used = {m["Ebs"]["SnapshotId"] for image in ec2.describe_images(Owners=["self"]).get("Images", [])
            for m in image.get("BlockDeviceMappings", []) if m.get("Ebs", {}).get("SnapshotId")}
    for page in ec2.get_paginator("describe_snapshots").paginate(OwnerIds=["self"], Filters=[hash_filter]):
        for snapshot in page.get("Snapshots", []):
            if snapshot["SnapshotId"] in used:
                continue
            delete_snapshot(ec2, snapshot["SnapshotId"], sleep)
            log(f"deleted snapshot {snapshot['SnapshotId']} of this build that no AMI uses")
            removed.append(snapshot["SnapshotId"])
    return removed

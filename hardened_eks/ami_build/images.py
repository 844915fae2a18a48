"""Find, deregister and prune this stack's hardened AMIs, in every region they were copied to.

Deregistering an AMI leaves its EBS snapshots (which cost money), so every removal deletes them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from hardened_eks import tags

Ec2Factory = Callable[[str], Any]  # region -> boto3 EC2 client


def default_ec2(region: str) -> Any:
    import boto3

    return boto3.client("ec2", region_name=region)


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


def remove_image(ec2: Any, image: dict, log: Callable[[str], None]) -> None:
    """Deregister the AMI, then delete the snapshots behind it."""
    snapshots = [m["Ebs"]["SnapshotId"] for m in image.get("BlockDeviceMappings", [])
                 if m.get("Ebs", {}).get("SnapshotId")]
    ec2.deregister_image(ImageId=image["ImageId"])
    for snapshot in snapshots:
        ec2.delete_snapshot(SnapshotId=snapshot)
    log(f"removed {image['ImageId']} ({image.get('Name', '')}) and snapshots {', '.join(snapshots) or 'none'}")


def prune(ec2_for: Ec2Factory, regions: Iterable[str], stack: str, pattern: str, level: int, keep: int,
          log: Callable[[str], None]) -> list[str]:
    """Keep the `keep` newest AMIs of a (stack, pattern, level) per region; remove the rest. keep=0 removes all."""
    removed = []
    for region in sorted(set(regions)):
        ec2 = ec2_for(region)
        for image in images_of(ec2, stack, pattern, level)[keep:]:
            remove_image(ec2, image, lambda message, r=region: log(f"{r}: {message}"))
            removed.append(image["ImageId"])
    return removed


def remove_named(ec2_for: Ec2Factory, regions: Iterable[str], name: str, log: Callable[[str], None]) -> list[str]:
    """Remove every AMI of this exact name: what a failed build may have registered before it stopped."""
    removed = []
    for region in sorted(set(regions)):
        ec2 = ec2_for(region)
        for image in images_named(ec2, name):
            remove_image(ec2, image, lambda message, r=region: log(f"{r}: {message}"))
            removed.append(image["ImageId"])
    return removed

"""Extra EBS volumes for the "separate partition" controls: the one place their sizes and device names live.

CIS level 2 wants /var, /var/tmp, /var/log, /var/log/audit and /home on their own partitions. Method 1
builds attach one encrypted gp3 volume per such control in the rendered profile and run
`cis-harden.sh apply --volume MOUNTPOINT=DEVICE`; the volumes stay in the AMI's block device mappings,
so every node launched from it gets them (the launch template keeps them encrypted with the stack key).
Level, exclusions and exceptions decide which controls are in the profile, so nothing is attached at
level 1 or for an excluded control.
"""

from __future__ import annotations

from dataclasses import dataclass

from hardened_eks.patterns import BuildMethod, Pattern
from hardening.catalog import disposition, load_catalog


@dataclass(frozen=True)
class PartitionVolume:
    mountpoint: str
    device: str  # attachment name; Amazon Linux's udev rules link it to the NVMe device on Nitro
    size_gib: int
    control: str = ""  # the separate-partition control this volume satisfies


# Fixed device per mount point, so excluding one control never renames the others' devices (and never
# changes the other volumes of a launch template). /var holds containerd's images and snapshots and
# kubelet's pod data (emptyDir, writable layers): it is sized for real workloads. /var/log holds the
# pods' rotated container logs (/var/log/pods).
PARTITION_VOLUMES: dict[str, PartitionVolume] = {v.mountpoint: v for v in (
    PartitionVolume("/var", "/dev/sdf", 100),
    PartitionVolume("/var/tmp", "/dev/sdg", 10),
    PartitionVolume("/var/log", "/dev/sdh", 20),
    PartitionVolume("/var/log/audit", "/dev/sdi", 10),
    PartitionVolume("/home", "/dev/sdj", 5),
)}


def partition_volumes(pattern: Pattern, level: int, excluded: tuple[str, ...] | list[str],
                      ip_family: str = "ipv4") -> tuple[PartitionVolume, ...]:
    """The volumes a build of (pattern, level) attaches, in the catalogue's order (/var before its children).

    Only method 1 runs our remediation; a CIS Marketplace image (method 2) comes with its own partitions."""
    if pattern.method is not BuildMethod.HARDEN_EKS_OPTIMIZED:
        return ()
    benchmark = pattern.benchmark.key
    volumes = []
    for control in load_catalog(benchmark):
        args = dict(control.args)
        if (control.family != "separate_partition" or args.get("kind") != "volume" or control.level > level
                or disposition(control, benchmark, excluded, ip_family) != "applied"):
            continue
        mountpoint = args["mountpoint"]
        if mountpoint not in PARTITION_VOLUMES:
            raise ValueError(f"{benchmark} {control.id} wants a volume for {mountpoint}, which has no size in "
                             "hardened_eks/ami_build/volumes.py PARTITION_VOLUMES")
        base = PARTITION_VOLUMES[mountpoint]
        volumes.append(PartitionVolume(mountpoint, base.device, base.size_gib, control.id))
    return tuple(volumes)

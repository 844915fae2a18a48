"""Inspector's CIS scans only assess instances Systems Manager manages; a target that is not yet
managed ends `SSM_UNMANAGED` and is never assessed by that scan.

A node group is ACTIVE once its kubelets registered, which can be before the SSM agent on each node
has registered with Systems Manager. So the one-time scan is started only once every targeted node is
managed (`PingStatus` Online), and the collector starts a new one-time scan when a target was
`SSM_UNMANAGED` anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from hardened_eks.inspector.errors import InspectorError, paginate

SSM_UNMANAGED = "SSM_UNMANAGED"
_INSTANCE_ID_FILTER_MAX = 50  # describe_instance_information: the InstanceIds filter takes at most 50 values


@dataclass(frozen=True)
class SsmWait:
    timeout_seconds: float = 15 * 60
    poll_seconds: float = 20.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def tagged_instances(ec2: Any, target_tags: Mapping[str, Sequence[str]]) -> list[str]:
    """Running instances carrying every tag of a CIS scan's `targetResourceTags` (one of its values each)."""
    filters = [{"Name": f"tag:{key}", "Values": list(values)} for key, values in sorted(target_tags.items())]
    filters.append({"Name": "instance-state-name", "Values": ["running"]})
    return sorted(instance["InstanceId"] for reservation in paginate(ec2, "describe_instances", "Reservations",
                                                                     Filters=filters)
                  for instance in reservation.get("Instances", []))


def unmanaged(ssm: Any, instance_ids: Sequence[str]) -> list[str]:
    """The instances of `instance_ids` that Systems Manager does not report as managed and online."""
    online: set[str] = set()
    for start in range(0, len(instance_ids), _INSTANCE_ID_FILTER_MAX):
        chunk = list(instance_ids[start:start + _INSTANCE_ID_FILTER_MAX])
        try:
            for info in paginate(ssm, "describe_instance_information", "InstanceInformationList",
                                 Filters=[{"Key": "InstanceIds", "Values": chunk}]):
                if info.get("PingStatus") == "Online":
                    online.add(info["InstanceId"])
        except InspectorError as error:
            # An instance that has not registered yet can make SSM call the id invalid: not managed yet.
            cause = error.__cause__
            if not (isinstance(cause, ClientError) and cause.response.get("Error", {}).get("Code") == "InvalidInstanceId"):
                raise
    return [i for i in instance_ids if i not in online]


def wait_until_managed(list_ids: Callable[[], list[str]], ssm: Any, wait: SsmWait,
                       log: Callable[[str], None]) -> list[str]:
    """Wait until there are targets and all are SSM-managed; return those still unmanaged at the timeout
    (["no running instance carries the scan tag"] when none appeared)."""
    deadline = wait.clock() + wait.timeout_seconds
    while True:
        ids = list_ids()
        missing = unmanaged(ssm, ids) if ids else []
        if ids and not missing:
            return []
        now = wait.clock()
        if now >= deadline:
            return missing or ["no running instance carries the scan tag"]
        what = f"{len(missing)} of {len(ids)} node(s) not yet managed by Systems Manager" if ids else \
            "no running node carries the scan tag yet"
        log(f"inspector: {what}; waiting before the CIS scan (up to {round(deadline - now)} s more)")
        wait.sleep(min(wait.poll_seconds, max(deadline - now, 0)))

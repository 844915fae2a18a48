"""Destroy waits until the proof's EBS volumes are really gone, before the EBS CSI driver and the nodes go.

Deleting the proof's StatefulSet (PVC retention `Delete`) and its Job pods (generic ephemeral
volumes) only starts the PVC -> PV -> EBS `DeleteVolume` chain; the EBS CSI controller finishes it
later, asynchronously. If Pulumi went straight on to delete the `aws-ebs-csi-driver` add-on, the node
groups and the cluster, every PersistentVolume not yet reclaimed would leave an "available" EBS volume
behind, encrypted with a key that is then scheduled for deletion.

`ProofVolumes` is a dynamic resource that does nothing on create. Each node group's proof (its
ConfigGroup) depends on it, and it depends on the add-ons (and so on the node groups), so on destroy
Pulumi deletes the proof's objects first, then this resource, whose delete waits until no
PersistentVolume bound to a claim in the proof's namespaces is left, and only then the add-on and
the nodes. A PersistentVolume object disappears only after the driver deleted its volume.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider

KUBECTL = "kubectl"  # on PATH, like the collector's
_sleep = time.sleep  # looked up per call, so a test can stand in for the wall clock
WAIT_SECONDS = 15 * 60  # the CSI controller deletes a detached volume within a minute or two
POLL_SECONDS = 10.0


class VolumesRemain(RuntimeError):
    """PersistentVolumes of the proof are still there after the wait."""


def proof_volumes(persistent_volumes: Sequence[dict[str, Any]], namespaces: Sequence[str]) -> list[str]:
    """"<pv name> (<volume id>)" of every PersistentVolume bound to a claim in `namespaces`."""
    found = []
    for pv in persistent_volumes:
        claim = (pv.get("spec") or {}).get("claimRef") or {}
        if claim.get("namespace") in namespaces:
            handle = ((pv.get("spec") or {}).get("csi") or {}).get("volumeHandle") or "no volume id"
            found.append(f"{pv['metadata']['name']} ({handle}, claim {claim.get('namespace')}/{claim.get('name')})")
    return sorted(found)


def kubectl_persistent_volumes(kubeconfig: str, kubectl: str | None = None) -> list[dict[str, Any]]:
    """Every PersistentVolume of the cluster, read with kubectl and the stack's kubeconfig."""
    kubectl = kubectl or KUBECTL
    with tempfile.TemporaryDirectory(prefix="hardened-eks-") as scratch:
        path = os.path.join(scratch, "kubeconfig")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
            handle.write(kubeconfig)
        try:
            done = subprocess.run([kubectl, "--kubeconfig", path, "get", "persistentvolumes", "-o", "json"],
                                  capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise VolumesRemain(f"cannot list PersistentVolumes with {kubectl}: {error}") from None
    if done.returncode != 0:
        raise VolumesRemain(f"kubectl get persistentvolumes failed: {done.stderr.strip()}; destroy must reach the "
                            "cluster's API (README: Where `pulumi up` runs) to wait for the proof's EBS volumes. If "
                            "the cluster is already gone, delete its leftover volumes (EC2 volumes tagged "
                            "kubernetes.io/created-for/pvc/namespace=proof-*) and then drop this wait from the stack "
                            "with `pulumi state delete <its URN>`")
    return json.loads(done.stdout).get("items") or []


def wait_until_released(list_volumes: Callable[[], list[dict[str, Any]]], namespaces: Sequence[str],
                        timeout_seconds: float = WAIT_SECONDS, poll_seconds: float = POLL_SECONDS,
                        clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] | None = None,
                        log: Callable[[str], None] = lambda line: pulumi.log.info(line)) -> None:
    """Return once no PersistentVolume of `namespaces` is left; raise VolumesRemain naming them after the timeout."""
    sleep = sleep or (lambda seconds: _sleep(seconds))
    deadline = clock() + timeout_seconds
    while True:
        remaining = proof_volumes(list_volumes(), namespaces)
        if not remaining:
            return
        if clock() >= deadline:
            raise VolumesRemain(
                f"{len(remaining)} PersistentVolume(s) of {', '.join(namespaces)} still exist after "
                f"{round(timeout_seconds / 60)} minutes: {'; '.join(remaining)}. The EBS CSI driver has not deleted "
                "their volumes; check its controller logs (kube-system, ebs-csi-controller), or delete the EBS "
                "volumes named here with `aws ec2 delete-volume`, then run destroy again")
        log(f"waiting for the EBS CSI driver to delete {len(remaining)} volume(s) of {', '.join(namespaces)}")
        sleep(min(poll_seconds, max(deadline - clock(), 0)))


class ProofVolumesProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"proof-volumes-{'-'.join(props['namespaces'])}"[:120], props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=olds != news, replaces=[], delete_before_replace=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        return pulumi.dynamic.UpdateResult(news)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        kubeconfig = props["kubeconfig"]
        if not isinstance(kubeconfig, str):
            kubeconfig = json.dumps(kubeconfig)
        wait_until_released(lambda: kubectl_persistent_volumes(kubeconfig), props["namespaces"],
                            timeout_seconds=float(props.get("timeoutSeconds") or WAIT_SECONDS))


@dataclass
class ProofVolumesArgs:
    kubeconfig: pulumi.Input[str]
    namespaces: Sequence[str]
    timeout_seconds: int = WAIT_SECONDS


class ProofVolumes(pulumi.dynamic.Resource, module="workloads", name="ProofVolumes"):
    """Its delete waits until the proof's PersistentVolumes (and so their EBS volumes) are gone."""

    def __init__(self, name: str, args: ProofVolumesArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(ProofVolumesProvider(), name, {
            "kubeconfig": pulumi.Output.secret(args.kubeconfig), "namespaces": list(args.namespaces),
            "timeoutSeconds": args.timeout_seconds}, opts)

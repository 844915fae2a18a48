"""Destroy leaves no EBS volume: the proof's PersistentVolumes are gone before the EBS CSI add-on and
the nodes are deleted.

The order is the engine's: on destroy a resource is deleted only after every resource that depends on
it, and every child of it, is gone. The wait itself reads PersistentVolumes with a kubectl that
answers the way a cluster does while the CSI controller reclaims volumes.
"""

from __future__ import annotations

import json
import stat

import pytest

from hardened_eks.workload_tests import proof_namespace
from hardened_eks.workload_tests.volumes import (
    VolumesRemain,
    kubectl_persistent_volumes,
    proof_volumes,
    wait_until_released,
)
from tests.test_workloads import TARGETS, run_proof

VOLUMES = "pulumi-python:dynamic/workloads:ProofVolumes"


def destroy_order(resources):
    """Names in an order the engine may delete them: dependents and children before what they need."""
    needed_by = {r.name: set() for r in resources}
    for r in resources:
        for dependency in [*r.depends_on, *([r.parent] if r.parent else [])]:
            if dependency in needed_by:
                needed_by[dependency].add(r.name)
    order, done = [], set()
    while len(done) < len(needed_by):
        ready = sorted(n for n in needed_by if n not in done and needed_by[n] <= done)
        assert ready, "dependency cycle"
        order += ready
        done |= set(ready)
    return order


@pytest.fixture(scope="module")
def mocks():
    return run_proof()


def test_destroy_waits_for_the_proof_volumes_before_the_ebs_csi_driver_and_the_nodes_go(mocks):
    order = destroy_order(mocks.resources)
    ebs_driver = order.index("addons-aws-ebs-csi-driver")
    for target in TARGETS:
        proof = proof_namespace(target.pattern, target.level)
        (wait,) = [r for r in mocks.of_type(VOLUMES) if r.parent == proof]
        assert wait.inputs["namespaces"] == [proof, f"{proof}-host"]
        # the proof's objects (a child of the group; its StatefulSet and Jobs own the PVCs) go first,
        # then the wait, then the driver that deletes the volumes
        assert order.index(f"{proof}-objects") < order.index(wait.name) < ebs_driver


def pv(name, namespace, volume):
    return {"metadata": {"name": name}, "spec": {
        "csi": {"driver": "ebs.csi.aws.com", "volumeHandle": volume},
        "claimRef": {"namespace": namespace, "name": f"data-{name}"}}}


@pytest.fixture
def reclaiming_kubectl(tmp_path):
    """kubectl get persistentvolumes: the proof's two volumes, then one, then none; another namespace's stays."""
    other = pv("pvc-other", "team-a", "vol-0ffff")
    answers = [[pv("pvc-1", "proof-al2023-l1", "vol-0aaaa"), pv("pvc-2", "proof-al2023-l1-host", "vol-0bbbb"), other],
               [pv("pvc-2", "proof-al2023-l1-host", "vol-0bbbb"), other], [other]]
    for index, items in enumerate(answers, 1):
        (tmp_path / f"pv{index}.json").write_text(json.dumps({"items": items}))
    script = tmp_path / "kubectl"
    script.write_text(f"""#!/bin/sh
test -s "$2" || {{ echo "no kubeconfig" >&2; exit 1; }}
case "$*" in *"get persistentvolumes -o json") ;; *) echo "unexpected $*" >&2; exit 1 ;; esac
n=$(cat {tmp_path}/calls 2>/dev/null || echo 0); n=$((n+1)); echo $n > {tmp_path}/calls
[ $n -gt 3 ] && n=3
cat {tmp_path}/pv$n.json
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_the_wait_returns_once_the_csi_driver_deleted_the_proofs_volumes(reclaiming_kubectl):
    slept, lines = [], []
    wait_until_released(lambda: kubectl_persistent_volumes('{"apiVersion": "v1"}', str(reclaiming_kubectl)),
                        ["proof-al2023-l1", "proof-al2023-l1-host"], poll_seconds=10, clock=lambda: 0.0,
                        sleep=slept.append, log=lines.append)
    assert slept == [10, 10] and "2 volume(s)" in lines[0] and "1 volume(s)" in lines[1]


def test_volumes_that_stay_fail_destroy_naming_them():
    stuck = [pv("pvc-1", "proof-al2023-l1", "vol-0aaaa")]
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    with pytest.raises(VolumesRemain, match=r"pvc-1 \(vol-0aaaa, claim proof-al2023-l1/data-pvc-1\).*delete-volume"):
        wait_until_released(lambda: stuck, ["proof-al2023-l1"], timeout_seconds=60, poll_seconds=10,
                            clock=lambda: now[0], sleep=sleep, log=lambda _: None)
    assert now[0] == 60


def test_only_volumes_claimed_in_the_proofs_namespaces_count():
    volumes = [pv("a", "proof-x-l1", "vol-1"), pv("b", "kube-system", "vol-2"),
               {"metadata": {"name": "static"}, "spec": {}}]
    assert proof_volumes(volumes, ["proof-x-l1"]) == ["a (vol-1, claim proof-x-l1/data-a)"]


def test_the_provider_pickles_and_its_delete_waits_through_kubectl(reclaiming_kubectl, monkeypatch):
    """Pulumi stores the pickled provider in state and calls delete in the engine's process."""
    import base64

    import dill
    from pulumi.dynamic.dynamic import serialize_provider

    from hardened_eks.workload_tests import volumes

    provider = dill.loads(base64.b64decode(serialize_provider(volumes.ProofVolumesProvider())))
    slept = []
    monkeypatch.setattr(volumes, "KUBECTL", str(reclaiming_kubectl))
    monkeypatch.setattr(volumes, "_sleep", slept.append)
    monkeypatch.setattr(volumes.pulumi.log, "info", lambda line: None)
    provider.delete("proof-volumes", {"kubeconfig": {"apiVersion": "v1"}, "timeoutSeconds": 60,
                                      "namespaces": ["proof-al2023-l1", "proof-al2023-l1-host"]})
    assert slept == [10.0, 10.0]  # three looks: two volumes, one, none
    assert (reclaiming_kubectl.parent / "calls").read_text().strip() == "3"

"""The live node audit: every node of an Amazon Linux node group audits itself with the AMI's own audit.

A DaemonSet per node group runs the node group's rendered `cis-harden.sh` (the same script its AMI build
ran: `hardened_eks.ami_build.spec.hardening_script`) against the host's `/`, mounted read-only at /host:
`cis-harden.sh audit --root /host --json`, once when the pod starts and then on the stack's
`nodeAuditSchedule`; each run prints one line the collector (`collect.py`) reads with `kubectl logs`.

Why a DaemonSet and not a CronJob: a CronJob's Job cannot say "one pod on every node of this node
group" (it would need one Job per node, so a controller that watches nodes, with API rights to create
Jobs); a DaemonSet places exactly one pod per matching node, follows nodes as they come and go, keeps
the DaemonSet's default tolerations, and needs no API access at all. The schedule is matched by the
pod itself, minute by minute, with the same cron grammar config validation accepts (`schedule.py`).

Everything here is plain dicts (validated against the Kubernetes schema in the tests); nothing talks
to Pulumi or a cluster.
"""

from __future__ import annotations

import base64
import gzip
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hardened_eks.node_audit.schedule import DEFAULT_SCHEDULE, normalize
from hardened_eks.workload_tests import NODE_LABEL_LEVEL, NODE_LABEL_PATTERN
from hardened_eks.workload_tests.images import Image
from hardened_eks.workload_tests.manifests import DEPENDS_ON, SKIP_AWAIT, object_reference

HERE = Path(__file__).resolve().parent
ENTRYPOINT = HERE / "entrypoint.sh"
RESULT_PREFIX = "hardened-eks-node-audit"
DAEMON_SET = "node-audit"
CONTAINER = "audit"
HOST_MOUNT = "/host"
AUDIT_MOUNT = "/audit"
AMI_ID_LABEL = "hardened-eks/ami-id"
PROFILE_DIGEST_LABEL = "hardened-eks/profile-digest"
# The audit needs bash >= 4.4 (namerefs, `mapfile -d`), gawk, findutils, grep, sed, coreutils, and gzip for a
# compressed script. The Docker official AlmaLinux 9 image has all of them (docker-library/repo-info,
# repos/almalinux/local/9.8-20260902.md lists bash 5.1.8, gawk 5.1.0, findutils 4.8.0, grep, sed, gzip,
# coreutils-single); the Amazon Linux 2023 container image has no findutils (amazonlinux/amazon-linux-2023#355)
# and Amazon Linux 2's bash is 4.2. Served by ECR Public's mirror of the Docker official images, pinned by tag;
# fill in `digest` once looked up (`crane digest`), as for the proof's images.
AUDIT_IMAGE = Image("public.ecr.aws/docker/library/almalinux", "9.8-20260902")
# A ConfigMap (the whole object) may not exceed 1 MiB; the plain script is used while it stays well below.
CONFIGMAP_LIMIT_BYTES = 1024 * 1024
PLAIN_SCRIPT_LIMIT_BYTES = 900 * 1024
# recursiveReadOnly (every mount below the host's / read-only too, not only the top one): beta and on by default
# from Kubernetes 1.31. Older clusters get a read-only bind whose submounts keep their own flags.
RECURSIVE_READ_ONLY_SINCE = (1, 31)
_DIGEST = re.compile(r"^HE_PROFILE_DIGEST=([0-9a-f]+)$", re.MULTILINE)


class NodeAuditError(ValueError):
    """The audit cannot be shipped (a script too large even compressed)."""


def namespace(pattern: str, level: int) -> str:
    return f"node-audit-{pattern}-l{level}"


def profile_digest(script: str) -> str:
    """The digest the rendered script reports as `profileDigest` in every audit it prints."""
    match = _DIGEST.search(script)
    if not match:
        raise NodeAuditError("the rendered script has no HE_PROFILE_DIGEST line")
    return match.group(1)


def script_files(script: str, plain_limit: int = PLAIN_SCRIPT_LIMIT_BYTES) -> tuple[dict[str, str], dict[str, str]]:
    """(data, binaryData) of the audit ConfigMap: the entrypoint and the script, gzip-compressed when plain text
    would come near the 1 MiB object limit. Raises NodeAuditError when even that does not fit."""
    entry = ENTRYPOINT.read_text()
    raw = script.encode()
    if len(raw) + len(entry) <= plain_limit:
        return {"entrypoint.sh": entry, "cis-harden.sh": script}, {}
    packed = base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode()
    if len(packed) + len(entry) > plain_limit:
        raise NodeAuditError(f"the rendered audit script is {len(raw)} bytes, {len(packed)} compressed and encoded: "
                             f"more than a ConfigMap holds ({CONFIGMAP_LIMIT_BYTES} bytes per object)")
    return {"entrypoint.sh": entry}, {"cis-harden.sh.gz": packed}


@dataclass(frozen=True)
class NodeAuditSpec:
    pattern: str
    level: int
    kubernetes_version: str
    schedule: str = DEFAULT_SCHEDULE
    node_labels: Mapping[str, str] = field(default_factory=dict)  # default: the standard pattern/level pair
    # The node group's taints, as Kubernetes tolerations (the DaemonSet controller adds the node-condition ones).
    tolerations: Sequence[Mapping[str, Any]] = ()
    strict: bool = False  # True: Pulumi waits for the DaemonSet's rollout

    @property
    def namespace(self) -> str:
        return namespace(self.pattern, self.level)

    @property
    def node_selector(self) -> dict[str, str]:
        return dict(self.node_labels) or {NODE_LABEL_PATTERN: self.pattern, NODE_LABEL_LEVEL: str(self.level)}

    @property
    def recursive_read_only(self) -> bool:
        major, minor = (int(part) for part in self.kubernetes_version.split(".")[:2])
        return (major, minor) >= RECURSIVE_READ_ONLY_SINCE


def _object(api_version: str, kind: str, name: str, ns: str | None, labels: Mapping[str, str],
            annotations: Mapping[str, str] | None = None, **body: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "labels": dict(labels)}
    if ns:
        metadata["namespace"] = ns
    if annotations:
        metadata["annotations"] = dict(annotations)
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, **body}


def container_security() -> dict[str, Any]:
    """Root with one capability: uid 0 owns what the audit reads (/etc/shadow is mode 0000 on Amazon Linux,
    sshd host keys 0600) and CAP_DAC_READ_SEARCH lets it read and search past file modes, never write. Every
    other capability is dropped; no privilege escalation; a read-only root file system (scratch in /tmp)."""
    return {"runAsUser": 0, "runAsGroup": 0, "runAsNonRoot": False, "privileged": False,
            "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"], "add": ["DAC_READ_SEARCH"]},
            "seccompProfile": {"type": "RuntimeDefault"}}


def render(spec: NodeAuditSpec, script: str, ami_id: str) -> dict[str, dict[str, Any]]:
    """Every object of one node group's node audit, keyed by role, in an order that can be applied as listed."""
    digest = profile_digest(script)
    ns = spec.namespace
    labels = {"app.kubernetes.io/part-of": "hardened-eks", "app.kubernetes.io/name": DAEMON_SET,
              NODE_LABEL_PATTERN: spec.pattern, NODE_LABEL_LEVEL: str(spec.level)}
    data, binary = script_files(script)
    # The ConfigMap's name follows the script, so new content is a new immutable ConfigMap and the DaemonSet's
    # pods (whose template names it) are rolled and audit at once.
    config_map = f"node-audit-{digest[:12]}"
    objects: dict[str, dict[str, Any]] = {
        "namespace": _object("v1", "Namespace", ns, None, {
            **labels, "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted"}, {
            "hardened-eks/why-privileged": "the node audit reads the host's / (read-only hostPath) as root with "
                                           "CAP_DAC_READ_SEARCH"}),
        "service-account": _object("v1", "ServiceAccount", DAEMON_SET, ns, labels, automountServiceAccountToken=False),
        # The audit needs no network: nothing in or out.
        "network-policy": _object("networking.k8s.io/v1", "NetworkPolicy", "default-deny", ns, labels, spec={
            "podSelector": {}, "policyTypes": ["Ingress", "Egress"], "ingress": [], "egress": []}),
        "config-map": _object("v1", "ConfigMap", config_map, ns, {**labels, PROFILE_DIGEST_LABEL: digest},
                              immutable=True, **({"data": data} if data else {}),
                              **({"binaryData": binary} if binary else {})),
    }
    host_mount: dict[str, Any] = {"name": "host", "mountPath": HOST_MOUNT, "readOnly": True}
    if spec.recursive_read_only:
        host_mount["recursiveReadOnly"] = "IfPossible"
    pod_labels = {**labels, AMI_ID_LABEL: ami_id, PROFILE_DIGEST_LABEL: digest}
    container = {
        "name": CONTAINER, "image": AUDIT_IMAGE.reference, "imagePullPolicy": "IfNotPresent",
        "command": ["bash", f"{AUDIT_MOUNT}/entrypoint.sh"],
        "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                {"name": "SCHEDULE", "value": normalize(spec.schedule)},
                {"name": "HOST_ROOT", "value": HOST_MOUNT}, {"name": "AUDIT_DIR", "value": AUDIT_MOUNT},
                {"name": "TMPDIR", "value": "/tmp"}],
        "securityContext": container_security(),
        "resources": {"requests": {"cpu": "50m", "memory": "64Mi"},
                      "limits": {"cpu": "500m", "memory": "256Mi", "ephemeral-storage": "128Mi"}},
        "volumeMounts": [host_mount, {"name": "audit", "mountPath": AUDIT_MOUNT, "readOnly": True},
                         {"name": "tmp", "mountPath": "/tmp"}]}
    pod_spec: dict[str, Any] = {
        "serviceAccountName": DAEMON_SET, "automountServiceAccountToken": False,
        # No hostPID, hostNetwork or hostIPC: under --root the audit reads files only; checks of the running
        # system (he_live) are deferred, never read through the host's namespaces.
        "hostPID": False, "hostNetwork": False, "hostIPC": False,
        "nodeSelector": spec.node_selector,
        "securityContext": {"runAsUser": 0, "runAsGroup": 0, "runAsNonRoot": False,
                            "seccompProfile": {"type": "RuntimeDefault"}},
        "terminationGracePeriodSeconds": 5,
        "containers": [container],
        "volumes": [{"name": "host", "hostPath": {"path": "/", "type": "Directory"}},
                    {"name": "audit", "configMap": {"name": config_map, "defaultMode": 0o444}},
                    {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}]}
    if spec.tolerations:
        pod_spec["tolerations"] = [dict(t) for t in spec.tolerations]
    before = ",".join(object_reference(objects[k]) for k in ("service-account", "network-policy", "config-map"))
    annotations = {DEPENDS_ON: before}
    if not spec.strict:
        annotations[SKIP_AWAIT] = "true"  # one node group's image pull problem must not stall everyone's `up`
    objects["daemon-set"] = _object("apps/v1", "DaemonSet", DAEMON_SET, ns, {**labels, PROFILE_DIGEST_LABEL: digest},
                                    annotations, spec={
                                        "selector": {"matchLabels": labels},
                                        "updateStrategy": {"type": "RollingUpdate",
                                                           "rollingUpdate": {"maxUnavailable": "100%"}},
                                        "template": {"metadata": {"labels": pod_labels}, "spec": pod_spec}})
    return objects


def describe(entry: Mapping[str, Any]) -> str:
    """One plan line for a node group's node audit."""
    return (f"namespace {entry['namespace']} (privileged): DaemonSet {entry['daemonSet']} "
            f"({entry['benchmark']} level {entry['level']} audit, profile {entry['profileDigest']}, "
            f"schedule {entry['schedule']!r} UTC, image {entry['image']})")

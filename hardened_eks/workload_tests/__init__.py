"""The workload proof: which checks run on every node group, and the facts they share.

The checks are data (`tests.yaml`), run by small shell scripts (`scripts/`) inside pods built by
`manifests.py`; `collect.py` turns what the pods printed into `workloads` and `kube-bench` results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from hardened_eks.patterns import EKS_KUBERNETES_VERSIONS, Bootstrap
from hardened_eks.workload_tests import images

HERE = Path(__file__).resolve().parent
SCRIPTS_DIR = HERE / "scripts"
TESTS_FILE = HERE / "tests.yaml"

# Labels every node group carries (set by the node group component); the proof selects nodes by them.
NODE_LABEL_PATTERN = "hardened-eks/pattern"
NODE_LABEL_LEVEL = "hardened-eks/level"
# Every namespace of the proof carries this label; ingress rules admit clients from such namespaces only.
PROOF_NAMESPACE_LABEL = "hardened-eks/workload-proof"
STORAGE_CLASS = "hardened-eks-gp3"
# Each node group's objects are registered as one ConfigGroup of this type (components/workloads.py).
CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup"
CLUSTER_DOMAIN = "cluster.local"
# Printed by every in-pod check as its last line; collect.py reads nothing else from a test's log.
RESULT_PREFIX = "hardened-eks-result"

# The CIS Amazon EKS Benchmark release kube-bench runs for each Kubernetes version. kube-bench does
# not detect EKS on its own, so the benchmark is always passed explicitly.
KUBE_BENCH_BENCHMARKS: dict[str, str] = dict.fromkeys(EKS_KUBERNETES_VERSIONS, "eks-1.8.0")

# Where the kubelet reads its configuration, by how the node bootstraps. kube-bench reads the file
# the running kubelet names with --config; it does not merge nodeadm's drop-ins (config.json.d,
# aquasecurity/kube-bench#1740), so on AL2023 a value set only by a drop-in is not what it sees.
KUBELET_CONFIG: dict[Bootstrap, str] = {
    Bootstrap.NODEADM: "/etc/kubernetes/kubelet/config.json (drop-ins in config.json.d are not read by kube-bench)",
    Bootstrap.BOOTSTRAP_SH: "/etc/kubernetes/kubelet/kubelet-config.json",
    Bootstrap.BOTTLEROCKET_TOML: "/etc/kubernetes/kubelet/config",
}

POD_LABELS = ("web-client", "web-egress", "aws-client", "imds-probe", "api-client")
SERVICE_ACCOUNTS = ("pod-identity", "no-pod-identity", "kubelet-client", "kubelet-viewer")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
MAX_TEST_NAME = 40  # leaves room for "-" and the longest AMI id within the 63-character name limit


def kube_bench_benchmark(kubernetes_version: str) -> str:
    try:
        return KUBE_BENCH_BENCHMARKS[kubernetes_version]
    except KeyError:
        raise ValueError(f"kubernetesVersion {kubernetes_version!r}: no kube-bench EKS benchmark is mapped; "
                         f"mapped versions: {', '.join(KUBE_BENCH_BENCHMARKS)}") from None


@dataclass(frozen=True)
class PodNeeds:
    labels: tuple[str, ...] = ()
    service_account: str | None = None
    rootfs: str | None = None  # None: read-only root with a /tmp volume; "writable" | "read-only": no /tmp volume
    volume: str | None = None  # "read-write" | "read-only": a fresh gp3 EBS volume at /data
    image: str = "curl"
    pull_always: bool = False


@dataclass(frozen=True)
class WorkloadTest:
    name: str
    expect: str  # "allow" | "deny"
    what: str
    script: str | None
    args: tuple[str, ...]
    pod: PodNeeds
    twin: str | None = None
    outcome: str = "script"  # "script" | "pod-status"
    needs: str | None = None  # "peer": only with another node group to reach


class CatalogError(ValueError):
    """tests.yaml is inconsistent."""


_TEST_KEYS = {"name", "expect", "what", "script", "args", "pod", "twin", "outcome", "needs"}
_POD_KEYS = {"labels": "labels", "serviceAccount": "service_account", "rootfs": "rootfs", "volume": "volume",
             "image": "image", "pullAlways": "pull_always"}


@cache
def load_tests(path: Path = TESTS_FILE) -> tuple[WorkloadTest, ...]:
    """Every workload test, validated; raises CatalogError naming the entry and the problem."""
    document = yaml.safe_load(path.read_text()) or {}
    problems: list[str] = []
    tests: list[WorkloadTest] = []
    for index, entry in enumerate(document.get("tests") or []):
        where = f"{path.name}: tests[{index}]"
        if not isinstance(entry, dict) or set(entry) - _TEST_KEYS:
            problems.append(f"{where}: unknown keys {sorted(set(entry) - _TEST_KEYS) if isinstance(entry, dict) else entry}")
            continue
        name = str(entry.get("name", ""))
        where = f"{path.name}: {name or f'tests[{index}]'}"
        if not _DNS_LABEL.match(name) or len(name) > MAX_TEST_NAME:
            problems.append(f"{where}: name must be a DNS label of at most {MAX_TEST_NAME} characters")
        pod_raw = entry.get("pod") or {}
        if set(pod_raw) - set(_POD_KEYS):
            problems.append(f"{where}: unknown pod keys {sorted(set(pod_raw) - set(_POD_KEYS))}")
            continue
        pod = PodNeeds(**{_POD_KEYS[k]: tuple(v) if k == "labels" else v for k, v in pod_raw.items()})
        test = WorkloadTest(name=name, expect=entry.get("expect", ""), what=entry.get("what", ""),
                            script=entry.get("script"), args=tuple(str(a) for a in entry.get("args", ())), pod=pod,
                            twin=entry.get("twin"), outcome=entry.get("outcome", "script"), needs=entry.get("needs"))
        problems += [f"{where}: {p}" for p in _problems(test)]
        tests.append(test)
    names = [t.name for t in tests]
    problems += [f"{path.name}: {n}: name repeats" for n in sorted({n for n in names if names.count(n) > 1})]
    allow = {t.name for t in tests if t.expect == "allow"}
    problems += [f"{path.name}: {t.name}: twin {t.twin!r} is not an allow test" for t in tests
                 if t.twin is not None and (t.expect != "deny" or t.twin not in allow)]
    if problems:
        raise CatalogError("workload test catalogue is inconsistent:\n  - " + "\n  - ".join(problems))
    return tuple(tests)


def _problems(test: WorkloadTest) -> list[str]:
    problems = []
    if test.expect not in ("allow", "deny"):
        problems.append(f"expect {test.expect!r}; allowed: allow, deny")
    if not test.what:
        problems.append("`what` must say what the test proves")
    if test.outcome not in ("script", "pod-status"):
        problems.append(f"outcome {test.outcome!r}; allowed: script, pod-status")
    if test.outcome == "script" and (not test.script or not (SCRIPTS_DIR / test.script).is_file()):
        problems.append(f"script {test.script!r} not found in {SCRIPTS_DIR.name}/")
    if test.needs not in (None, "peer"):
        problems.append(f"needs {test.needs!r}; allowed: peer")
    pod = test.pod
    problems += [f"pod label {label!r}; allowed: {', '.join(POD_LABELS)}" for label in pod.labels if label not in POD_LABELS]
    if pod.service_account not in (None, *SERVICE_ACCOUNTS):
        problems.append(f"serviceAccount {pod.service_account!r}; allowed: {', '.join(SERVICE_ACCOUNTS)}")
    if pod.rootfs not in (None, "writable", "read-only"):
        problems.append(f"rootfs {pod.rootfs!r}; allowed: writable, read-only")
    if pod.volume not in (None, "read-write", "read-only"):
        problems.append(f"volume {pod.volume!r}; allowed: read-write, read-only")
    if pod.image not in images.ALL:
        problems.append(f"image {pod.image!r}; allowed: {', '.join(images.ALL)}")
    return problems


def tests_for(has_peer: bool) -> tuple[WorkloadTest, ...]:
    """The tests a node group runs: all of them, less the cross-node-group ones when it is alone."""
    return tuple(t for t in load_tests() if has_peer or t.needs != "peer")


def proof_namespace(pattern: str, level: int) -> str:
    return f"proof-{pattern}-l{level}"


def host_namespace(pattern: str, level: int) -> str:
    """kube-bench's namespace: privileged, because it reads the host (hostPID, hostPath)."""
    return f"{proof_namespace(pattern, level)}-host"


def job_name(check: str, ami_id: str) -> str:
    """Jobs are immutable: naming them after the AMI gives every rebuilt AMI fresh Jobs and results."""
    name = f"{check}-{ami_id}"
    if len(name) > 63 or not _DNS_LABEL.match(name):
        raise ValueError(f"job name {name!r} is not a valid Kubernetes name (DNS label, at most 63 characters)")
    return name


def script_files() -> dict[str, str]:
    """Every in-pod script by file name, as the ConfigMap that carries them into pods."""
    return {p.name: p.read_text() for p in sorted(SCRIPTS_DIR.glob("*.sh"))}


def peer_namespaces(node_groups: list[tuple[str, int]]) -> dict[tuple[str, int], str | None]:
    """For cross-node-group traffic each node group calls the next one (in config order, wrapping)."""
    if len(node_groups) < 2:
        return dict.fromkeys(node_groups)
    return {group: proof_namespace(*node_groups[(index + 1) % len(node_groups)])
            for index, group in enumerate(node_groups)}

"""Every Kubernetes object of one node group's workload proof, as plain dicts.

Plain dicts, so the tests validate exactly what is deployed against the Kubernetes schema of the
configured version, and the component only hands them to pulumi_kubernetes. Nothing here talks to
Pulumi or a cluster.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hardened_eks.workload_tests import (
    CLUSTER_DOMAIN,
    NODE_LABEL_LEVEL,
    NODE_LABEL_PATTERN,
    PROOF_NAMESPACE_LABEL,
    STORAGE_CLASS,
    WorkloadTest,
    host_namespace,
    images,
    job_name,
    kube_bench_benchmark,
    proof_namespace,
    script_files,
    tests_for,
)

SKIP_AWAIT = "pulumi.com/skipAwait"
# Strict mode: how long Pulumi awaits a Job (pulumi-kubernetes' own default is 10 minutes, shorter than the
# Jobs' deadlines), and "replace a Job that is not ready on the next update" instead of awaiting the same
# failed Job on every later `up` (pulumi-kubernetes #1575).
TIMEOUT_SECONDS = "pulumi.com/timeoutSeconds"
REPLACE_UNREADY = "pulumi.com/replaceUnready"
AWAIT_MARGIN_SECONDS = 300  # scheduling and image pulls before the Job's activeDeadlineSeconds starts counting
KUBE_BENCH_DEADLINE_SECONDS = 900
# What a Job's identity follows besides its name (which carries the AMI id): the node group's launch
# template version. A changed label changes the pod template, so the Job is replaced (same name).
LAUNCH_TEMPLATE_VERSION_LABEL = "hardened-eks/launch-template-version"
AMI_ID_LABEL = "hardened-eks/ami-id"
# Creation order inside one ConfigGroup (pulumi-kubernetes yaml/v2, kpt's annotation): a comma-separated list of
# `<group>/namespaces/<namespace>/<kind>/<name>` references to objects of the same group. Namespaces need none:
# the group creates every namespaced object after its Namespace when that Namespace is in the group.
DEPENDS_ON = "config.kubernetes.io/depends-on"
NOBODY = 65534  # the conventional unprivileged uid/gid; no image used here needs a specific one
CHECKS_MOUNT = "/checks"
TEST_DEADLINE_SECONDS = 300
JOB_DEADLINE_SECONDS = 3 * TEST_DEADLINE_SECONDS  # a test Job's activeDeadlineSeconds
# Link-local endpoints pods may be allowed to reach (EKS Pod Identity agent, IMDS), IPv4 and IPv6.
POD_IDENTITY_AGENT = ("169.254.170.23/32", "fd00:ec2::23/128")
IMDS = ("169.254.169.254/32", "fd00:ec2::254/128")


@dataclass(frozen=True)
class ProofSpec:
    """What one node group's proof depends on, as plain values."""

    pattern: str
    level: int
    kubernetes_version: str
    region: str
    node_labels: Mapping[str, str] = field(default_factory=dict)  # default: the standard pattern/level pair
    peer_namespace: str | None = None  # another node group's proof namespace, for cross-node-group traffic
    kube_bench_nodes: int = 1  # kube-bench pods, one per node, up to the node group's desired size
    strict: bool = False  # True: Pulumi waits for every Job and fails the deployment on a failed test

    @property
    def namespace(self) -> str:
        return proof_namespace(self.pattern, self.level)

    @property
    def host_namespace(self) -> str:
        return host_namespace(self.pattern, self.level)

    @property
    def node_selector(self) -> dict[str, str]:
        return dict(self.node_labels) or {NODE_LABEL_PATTERN: self.pattern, NODE_LABEL_LEVEL: str(self.level)}

    def tests(self) -> tuple[WorkloadTest, ...]:
        return tests_for(self.peer_namespace is not None)


def kubernetes_service_ip(service_cidr: str) -> str:
    """The `kubernetes` Service's ClusterIP: the API server takes the first address after the
    network address of the service range (172.20.0.0/16 -> 172.20.0.1; fd00:1::/108 -> fd00:1::1)."""
    try:
        network = ipaddress.ip_network(service_cidr.strip(), strict=True)
    except ValueError:
        raise ValueError(f"service CIDR {service_cidr!r} is not a network address with a prefix length "
                         "(for example 172.20.0.0/16 or fd00:1::/108)") from None
    if network.num_addresses < 4:
        raise ValueError(f"service CIDR {service_cidr!r} is too small to hold Services")
    return str(network.network_address + 1)


def render(spec: ProofSpec, ami_id: str, vpc_cidr: str, service_cidr: str,
           launch_template_version: str | int | None = None) -> dict[str, dict[str, Any]]:
    """Every object, keyed by a stable role name, in an order that can be applied as listed."""
    objects: dict[str, dict[str, Any]] = {}
    objects.update(_namespaces(spec))
    objects.update(_accounts(spec))
    objects.update(_network_policies(spec, vpc_cidr, service_cidr))
    objects.update(_sample_workloads(spec))
    objects["checks"] = _object("v1", "ConfigMap", "workload-checks", spec.namespace, data=script_files())
    identity = job_identity(ami_id, launch_template_version)
    for test in spec.tests():
        objects[f"job-{test.name}"] = _test_job(spec, test, ami_id, identity)
    objects["kube-bench"] = _kube_bench_job(spec, ami_id, identity)
    _declare_creation_order(objects)
    return objects


def object_reference(obj: Mapping[str, Any]) -> str:
    """How a depends-on annotation names `obj`; the core group is the empty string."""
    group = obj["apiVersion"].rpartition("/")[0]
    namespace, kind, name = obj["metadata"].get("namespace"), obj["kind"], obj["metadata"]["name"]
    return f"{group}/namespaces/{namespace}/{kind}/{name}" if namespace else f"{group}/{kind}/{name}"


def creation_stages(keys: list[str]) -> dict[str, list[str]]:
    """render()'s keys by when they may be created: each stage after the ones before it."""
    stages: dict[str, list[str]] = {"namespaces": [], "foundation": [], "bindings": [], "samples": [], "jobs": []}
    for key in keys:
        if key in ("namespace", "host-namespace"):
            stages["namespaces"].append(key)
        elif key.startswith("rolebinding-"):
            stages["bindings"].append(key)
        elif key.startswith("sample-"):
            stages["samples"].append(key)
        elif key.startswith("job-") or key == "kube-bench":
            stages["jobs"].append(key)
        else:  # service accounts, roles, network policies, config maps
            stages["foundation"].append(key)
    return stages


def _declare_creation_order(objects: dict[str, dict[str, Any]]) -> None:
    """Bindings and sample workloads wait for the accounts, roles, policies and config maps; the
    test Jobs and kube-bench wait for the bindings and the samples (ready ones, in strict mode)."""
    stages = creation_stages(list(objects))
    predecessors = {"bindings": stages["foundation"], "samples": stages["foundation"],
                    "jobs": stages["bindings"] + stages["samples"]}
    for stage, before in predecessors.items():
        references = ",".join(object_reference(objects[key]) for key in before)
        for key in stages[stage]:
            objects[key]["metadata"].setdefault("annotations", {})[DEPENDS_ON] = references


# -- helpers ------------------------------------------------------------------------------------

def _object(api_version: str, kind: str, name: str, namespace: str | None, labels: Mapping[str, str] | None = None,
            annotations: Mapping[str, str] | None = None, **body: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace:
        metadata["namespace"] = namespace
    if labels:
        metadata["labels"] = dict(labels)
    if annotations:
        metadata["annotations"] = dict(annotations)
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, **body}


def job_identity(ami_id: str, launch_template_version: str | int | None) -> dict[str, str]:
    """Labels a Job and its pods carry for what they ran on: the AMI and the launch template version."""
    labels = {AMI_ID_LABEL: ami_id}
    if launch_template_version is not None:
        labels[LAUNCH_TEMPLATE_VERSION_LABEL] = str(launch_template_version)
    return labels


def _job_await(spec: ProofSpec, deadline_seconds: int) -> dict[str, str]:
    """A Job's await annotations: skipped outside strict mode; in strict mode awaited at least as long
    as the Job may run, and replaced on the next `up` when it failed, never re-awaited forever."""
    if not spec.strict:
        return {SKIP_AWAIT: "true"}
    return {TIMEOUT_SECONDS: str(deadline_seconds + AWAIT_MARGIN_SECONDS), REPLACE_UNREADY: "true"}


def _await(spec: ProofSpec) -> dict[str, str]:
    """Outside strict mode Pulumi creates workloads and Jobs without waiting for them: one node
    group's broken workload must not fail or stall the whole deployment; its results say so."""
    return {} if spec.strict else {SKIP_AWAIT: "true"}


def _common_labels(spec: ProofSpec) -> dict[str, str]:
    return {"app.kubernetes.io/part-of": "hardened-eks", NODE_LABEL_PATTERN: spec.pattern,
            NODE_LABEL_LEVEL: str(spec.level)}


def restricted_pod_security(fs_group: bool = False) -> dict[str, Any]:
    context: dict[str, Any] = {"runAsNonRoot": True, "runAsUser": NOBODY, "runAsGroup": NOBODY,
                               "seccompProfile": {"type": "RuntimeDefault"}}
    if fs_group:
        context["fsGroup"] = NOBODY  # so the unprivileged user can write to a fresh EBS volume
    return context


def restricted_container_security(read_only_root: bool = True) -> dict[str, Any]:
    return {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "privileged": False,
            "readOnlyRootFilesystem": read_only_root, "runAsNonRoot": True}


_SMALL = {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"memory": "64Mi"}}


def _node_name_env() -> dict[str, Any]:
    return {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}


# -- namespaces, accounts, policies ------------------------------------------------------------

def _namespaces(spec: ProofSpec) -> dict[str, dict[str, Any]]:
    restricted = {f"pod-security.kubernetes.io/{mode}": "restricted" for mode in ("enforce", "audit", "warn")}
    # kube-bench reads the host (hostPID, hostPath mounts): only the privileged profile admits that.
    # It is alone in its namespace so the exception covers nothing else; audit/warn still report it.
    privileged = {"pod-security.kubernetes.io/enforce": "privileged",
                  "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted"}
    labels = {**_common_labels(spec), PROOF_NAMESPACE_LABEL: "true"}
    return {
        "namespace": _object("v1", "Namespace", spec.namespace, None, {**labels, **restricted}),
        "host-namespace": _object("v1", "Namespace", spec.host_namespace, None, {**labels, **privileged}, {
            "hardened-eks/why-privileged": "kube-bench needs hostPID and read-only hostPath mounts to audit the node"}),
    }


def _accounts(spec: ProofSpec) -> dict[str, dict[str, Any]]:
    ns = spec.namespace
    objects: dict[str, dict[str, Any]] = {}
    # Every pod runs under a named account; none mounts an API token unless its test talks to the API.
    for account, automount in (("workload-test", False), ("sample-workload", False), ("pod-identity", False),
                               ("no-pod-identity", False), ("kubelet-client", True), ("kubelet-viewer", True)):
        objects[f"sa-{account}"] = _object("v1", "ServiceAccount", account, ns, _common_labels(spec),
                                           automountServiceAccountToken=automount)
    objects["sa-kube-bench"] = _object("v1", "ServiceAccount", "kube-bench", spec.host_namespace, _common_labels(spec),
                                       automountServiceAccountToken=False)
    pods_read = {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}
    roles = {
        # logs and exec, the two kubelet-served subresources the tests use; exec over WebSocket is
        # authorized as get on older and create on newer API servers.
        "kubelet-client": [pods_read, {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
                           {"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["get", "create"]}],
        "kubelet-viewer": [pods_read],
    }
    for role, rules in roles.items():
        objects[f"role-{role}"] = _object("rbac.authorization.k8s.io/v1", "Role", role, ns, _common_labels(spec),
                                          rules=rules)
        objects[f"rolebinding-{role}"] = _object(
            "rbac.authorization.k8s.io/v1", "RoleBinding", role, ns, _common_labels(spec),
            roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role},
            subjects=[{"kind": "ServiceAccount", "name": role, "namespace": ns}])
    return objects


def _label(role: str) -> str:
    return f"hardened-eks/{role}"


def _network_policies(spec: ProofSpec, vpc_cidr: str, service_cidr: str) -> dict[str, dict[str, Any]]:
    """Default deny in both directions (CIS EKS 4.3.2), then exactly the flows the tests need."""
    ns = spec.namespace

    def policy(name: str, namespace: str, selector: Mapping[str, str], **rules: Any) -> dict[str, Any]:
        types = [t for t, key in (("Ingress", "ingress"), ("Egress", "egress")) if key in rules]
        return _object("networking.k8s.io/v1", "NetworkPolicy", name, namespace, _common_labels(spec),
                       spec={"podSelector": {"matchLabels": dict(selector)} if selector else {}, "policyTypes": types,
                             **rules})

    def tcp(port: int) -> list[dict[str, Any]]:
        return [{"protocol": "TCP", "port": port}]

    def blocks(cidrs: tuple[str, ...]) -> list[dict[str, Any]]:
        return [{"ipBlock": {"cidr": cidr}} for cidr in cidrs]

    web = {"app": "sample-web"}
    proof_namespaces = {"namespaceSelector": {"matchLabels": {PROOF_NAMESPACE_LABEL: "true"}}}
    return {
        "netpol-default-deny": policy("default-deny", ns, {}, ingress=[], egress=[]),
        "netpol-host-default-deny": policy("default-deny", spec.host_namespace, {}, ingress=[], egress=[]),
        "netpol-dns": policy("allow-dns", ns, {}, egress=[{
            "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
            "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]),
        # The sample web admits clients, from any proof namespace (cross-node-group traffic included).
        "netpol-web-ingress": policy("allow-web-from-clients", ns, web, ingress=[{
            "from": [{**proof_namespaces, "podSelector": {"matchLabels": {_label("web-client"): "true"}}}],
            "ports": tcp(8080)}]),
        # Egress to the sample web is a separate role, so a deny twin can send but not be admitted:
        # what refuses it is then the target's ingress rule, the thing under test.
        "netpol-web-egress": policy("allow-egress-to-web", ns, {_label("web-egress"): "true"}, egress=[{
            "to": [{**proof_namespaces, "podSelector": {"matchLabels": web}}], "ports": tcp(8080)}]),
        "netpol-pod-identity": policy("allow-pod-identity-agent", ns, {_label("aws-client"): "true"},
                                      egress=[{"to": blocks(POD_IDENTITY_AGENT), "ports": tcp(80)}]),
        # Lets the IMDS probe through our policy, so its refusal measures the node's hop limit.
        "netpol-imds-probe": policy("allow-imds-probe", ns, {_label("imds-probe"): "true"},
                                    egress=[{"to": blocks(IMDS), "ports": tcp(80)}]),
        # Pods call https://kubernetes.default.svc, the `kubernetes` Service's ClusterIP. The VPC CNI
        # agent enforces on the pod's veth before kube-proxy's DNAT, so it sees that ClusterIP, never the
        # endpoint's address in the VPC; and its controller adds ClusterIPs only of Services whose
        # selector matches a podSelector peer (`kubernetes` has no selector). So the ClusterIP itself
        # is allowed, as a /32 or /128; the VPC CIDR (the private endpoint's ENIs) stays for clients
        # that use the endpoint's name.
        "netpol-api": policy("allow-kubernetes-api", ns, {_label("api-client"): "true"}, egress=[{
            "to": blocks((vpc_cidr, _host_cidr(kubernetes_service_ip(service_cidr)))), "ports": tcp(443)}]),
    }


def _host_cidr(address: str) -> str:
    ip = ipaddress.ip_address(address)
    return f"{ip}/{ip.max_prefixlen}"


# -- sample workloads --------------------------------------------------------------------------

def _sample_workloads(spec: ProofSpec) -> dict[str, dict[str, Any]]:
    ns, labels, waits = spec.namespace, _common_labels(spec), _await(spec)
    busybox = images.BUSYBOX.reference

    def pod_template(app: str, containers: list[dict[str, Any]], volumes: list[dict[str, Any]],
                     fs_group: bool = False) -> dict[str, Any]:
        return {"metadata": {"labels": {**labels, "app": app}},
                "spec": {"serviceAccountName": "sample-workload", "automountServiceAccountToken": False,
                         "nodeSelector": spec.node_selector, "securityContext": restricted_pod_security(fs_group),
                         "containers": containers, "volumes": volumes}}

    def container(name: str, script: str, probe: str, mounts: list[dict[str, Any]], port: int | None = None):
        body: dict[str, Any] = {
            "name": name, "image": busybox, "command": ["sh", "-c", script], "env": [_node_name_env()],
            "securityContext": restricted_container_security(), "resources": _SMALL, "volumeMounts": mounts,
            # exec probes: a NetworkPolicy never stands between the kubelet and the check
            "readinessProbe": {"exec": {"command": ["sh", "-c", probe]}, "periodSeconds": 5}}
        if port:
            body["ports"] = [{"name": "http", "containerPort": port}]
        return body

    web_script = "exec httpd -f -v -p 8080 -h /www"
    store_script = 'while true; do date -u +%FT%TZ >> /data/journal; sync; sleep 10; done'
    agent_script = 'while true; do echo "hardened-eks sample agent on $NODE_NAME"; sleep 30; done'
    selector = lambda app: {"matchLabels": {**labels, "app": app}}  # noqa: E731
    return {
        "web-content": _object("v1", "ConfigMap", "sample-web-content", ns, labels, data={
            "index.html": f"hardened-eks-sample-web {spec.pattern} level {spec.level}\n"}),
        "sample-web": _object("apps/v1", "Deployment", "sample-web", ns, labels, waits, spec={
            "replicas": 2, "selector": selector("sample-web"),
            "template": {**pod_template("sample-web", [container(
                "web", web_script, "wget -q -O /dev/null http://127.0.0.1:8080/", [
                    {"name": "content", "mountPath": "/www", "readOnly": True}], port=8080)],
                [{"name": "content", "configMap": {"name": "sample-web-content"}}])}}),
        "sample-web-service": _object("v1", "Service", "sample-web", ns, labels, waits, spec={
            "selector": {"app": "sample-web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}),
        "sample-web-pods": _object("v1", "Service", "sample-web-pods", ns, labels, waits, spec={
            "clusterIP": "None", "selector": {"app": "sample-web"}, "ports": [{"name": "http", "port": 8080}]}),
        "sample-store-service": _object("v1", "Service", "sample-store", ns, labels, waits, spec={
            "clusterIP": "None", "selector": {"app": "sample-store"}, "ports": [{"name": "none", "port": 9}]}),
        "sample-store": _object("apps/v1", "StatefulSet", "sample-store", ns, labels, waits, spec={
            "serviceName": "sample-store", "replicas": 1, "selector": selector("sample-store"),
            # The claims go with the StatefulSet; destroy then waits until their volumes are deleted
            # (workload_tests/volumes.py) before the EBS CSI driver and the nodes go.
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete", "whenScaled": "Delete"},
            "template": pod_template("sample-store", [container(
                "store", store_script, "test -s /data/journal", [{"name": "data", "mountPath": "/data"}])], [],
                fs_group=True),
            "volumeClaimTemplates": [{"metadata": {"name": "data", "labels": labels}, "spec": {
                "accessModes": ["ReadWriteOnce"], "storageClassName": STORAGE_CLASS,
                "resources": {"requests": {"storage": "1Gi"}}}}]}),
        "sample-agent": _object("apps/v1", "DaemonSet", "sample-agent", ns, labels, waits, spec={
            "selector": selector("sample-agent"),
            "template": pod_template("sample-agent", [container(
                "agent", agent_script, "true", [])], [])}),
    }


# -- test Jobs -----------------------------------------------------------------------------------

def _test_job(spec: ProofSpec, test: WorkloadTest, ami_id: str, identity: Mapping[str, str]) -> dict[str, Any]:
    pod = test.pod
    labels = {**_common_labels(spec), "hardened-eks/test": test.name, **identity,
              **{_label(role): "true" for role in pod.labels}}
    values = {"namespace": spec.namespace, "peer_namespace": spec.peer_namespace or "", "region": spec.region,
              "cluster_domain": CLUSTER_DOMAIN}
    mounts = [{"name": "checks", "mountPath": CHECKS_MOUNT, "readOnly": True}]
    volumes: list[dict[str, Any]] = [{"name": "checks", "configMap": {"name": "workload-checks", "defaultMode": 0o444}}]
    if pod.rootfs is None:
        mounts.append({"name": "tmp", "mountPath": "/tmp"})
        volumes.append({"name": "tmp", "emptyDir": {"sizeLimit": "16Mi"}})
    if pod.volume:
        mounts.append({"name": "data", "mountPath": "/data", "readOnly": pod.volume == "read-only"})
        # A generic ephemeral volume: a fresh encrypted gp3 EBS volume per pod, deleted with it.
        volumes.append({"name": "data", "ephemeral": {"volumeClaimTemplate": {
            "metadata": {"labels": _common_labels(spec)},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": STORAGE_CLASS,
                     "resources": {"requests": {"storage": "1Gi"}}}}}})
    account = pod.service_account or "workload-test"
    script = test.script or "image_pull.sh"  # pod-status tests are judged before any script runs
    container = {
        "name": "check", "image": images.ALL[pod.image].reference,
        "imagePullPolicy": "Always" if pod.pull_always else "IfNotPresent",
        "command": ["sh", f"{CHECKS_MOUNT}/{script}", *(arg.format(**values) for arg in test.args)],
        "env": [_node_name_env(), {"name": "EXPECT", "value": test.expect}, {"name": "TEST_NAME", "value": test.name},
                {"name": "AMI_ID", "value": ami_id}, {"name": "SERVICE_ACCOUNT", "value": account},
                {"name": "DEADLINE_SECONDS", "value": str(TEST_DEADLINE_SECONDS)}],
        "securityContext": restricted_container_security(read_only_root=pod.rootfs != "writable"),
        "resources": _SMALL, "volumeMounts": mounts}
    job_spec: dict[str, Any] = {
        # One retry absorbs a node-level hiccup; the check itself already retries for its deadline.
        "backoffLimit": 1,
        "template": {"metadata": {"labels": labels}, "spec": {
            "restartPolicy": "Never", "nodeSelector": spec.node_selector, "serviceAccountName": account,
            "automountServiceAccountToken": account in ("kubelet-client", "kubelet-viewer"),
            "securityContext": restricted_pod_security(fs_group=pod.volume is not None),
            "containers": [container], "volumes": volumes}}}
    if test.outcome == "pod-status":
        # Its pod never starts by design: no deadline (the collector reads the pull error from the
        # waiting pod) and never awaited, in strict mode too.
        annotations = {SKIP_AWAIT: "true"}
    else:
        job_spec["activeDeadlineSeconds"] = JOB_DEADLINE_SECONDS
        annotations = _job_await(spec, JOB_DEADLINE_SECONDS)
    annotations["hardened-eks/expect"] = test.expect
    return _object("batch/v1", "Job", job_name(test.name, ami_id), spec.namespace,
                   {**_common_labels(spec), "hardened-eks/test": test.name, **identity},
                   annotations, spec=job_spec)


# -- kube-bench ----------------------------------------------------------------------------------

KUBE_BENCH_HOST_PATHS = ("/var/lib/kubelet", "/etc/systemd", "/etc/kubernetes")


def _kube_bench_job(spec: ProofSpec, ami_id: str, identity: Mapping[str, str]) -> dict[str, Any]:
    labels = {**_common_labels(spec), "app": "kube-bench", **identity}
    mounts = [{"name": path.strip("/").replace("/", "-"), "mountPath": path, "readOnly": True}
              for path in KUBE_BENCH_HOST_PATHS]
    volumes = [{"name": path.strip("/").replace("/", "-"), "hostPath": {"path": path, "type": "Directory"}}
               for path in KUBE_BENCH_HOST_PATHS]
    container = {
        "name": "kube-bench", "image": images.KUBE_BENCH.reference,
        "command": ["kube-bench", "run", "--targets", "node", "--benchmark",
                    kube_bench_benchmark(spec.kubernetes_version), "--json"],
        # Root (uid 0) is the exception here: the node files kube-bench audits (kubelet kubeconfig,
        # certificates) are root-only. It gets no capabilities, no privilege escalation, a read-only
        # root and read-only host mounts: it can read the node, not change it.
        "securityContext": {"runAsUser": 0, "runAsNonRoot": False, "allowPrivilegeEscalation": False,
                            "privileged": False, "capabilities": {"drop": ["ALL"]},
                            "readOnlyRootFilesystem": True, "seccompProfile": {"type": "RuntimeDefault"}},
        "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "256Mi"}},
        "volumeMounts": [*mounts, {"name": "tmp", "mountPath": "/tmp"}]}
    nodes = max(1, spec.kube_bench_nodes)
    return _object("batch/v1", "Job", job_name("kube-bench", ami_id), spec.host_namespace,
                   {**_common_labels(spec), **identity}, _job_await(spec, KUBE_BENCH_DEADLINE_SECONDS), spec={
                       # One pod per node: as many completions as nodes, never two on one node.
                       "parallelism": nodes, "completions": nodes, "backoffLimit": nodes,
                       "activeDeadlineSeconds": KUBE_BENCH_DEADLINE_SECONDS,
                       "template": {"metadata": {"labels": labels}, "spec": {
                           # hostPID: kube-bench reads the running kubelet's flags from the host's processes.
                           "hostPID": True, "restartPolicy": "Never", "nodeSelector": spec.node_selector,
                           "serviceAccountName": "kube-bench", "automountServiceAccountToken": False,
                           "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{
                               "labelSelector": {"matchLabels": labels}, "topologyKey": "kubernetes.io/hostname"}]}},
                           "containers": [container],
                           "volumes": [*volumes, {"name": "tmp", "emptyDir": {"sizeLimit": "16Mi"}}]}}})

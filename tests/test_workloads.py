"""The workload proof under mocks: every node group gets every workload, test Job and kube-bench,
pinned to it, valid for the configured Kubernetes version, non-root except where stated."""

from __future__ import annotations

import graphlib
import json
from dataclasses import dataclass, field

import kubernetes_validate
import pulumi
import pulumi_kubernetes as k8s
import pytest

from components.addons import ADDONS
from components.workloads import (
    JOB,
    NodeGroupTarget,
    Workloads,
    WorkloadsArgs,
    replace_jobs_on_any_change,
)
from hardened_eks.config import load_config
from hardened_eks.mocks import HardenedEksMocks, run_with_mocks
from hardened_eks.workload_tests import CONFIG_GROUP, load_tests, proof_namespace
from hardened_eks.workload_tests.manifests import DEPENDS_ON, SKIP_AWAIT, object_reference
from hardened_eks.workload_tests.proof import build_proof
from tests.conftest import make_raw_config

SERVICE_CIDR = "172.20.0.0/16"
TARGETS = [NodeGroupTarget("eks-optimized-al2023", 1, "ami-0aaaaaaaaaaaaaaa1", bootstrap="nodeadm", nodes=2,
                           service_cidr=SERVICE_CIDR, launch_template_version=1),
           NodeGroupTarget("eks-optimized-al2023", 2, "ami-0aaaaaaaaaaaaaaa2", bootstrap="nodeadm",
                           service_cidr=SERVICE_CIDR, launch_template_version=1),
           NodeGroupTarget("bottlerocket", 1, "ami-0bbbbbbbbbbbbbbb1", bootstrap="bottlerocket-toml",
                           service_cidr=SERVICE_CIDR, launch_template_version=3)]


def run_proof(targets=TARGETS, version="1.33", strict=False):
    config = load_config(make_raw_config({"kubernetesVersion": version, "strictWorkloadTests": strict}), "test")

    def program():
        provider = k8s.Provider("k8s", kubeconfig="{}")
        outputs = build_proof(config, "hardened", provider, targets, "10.0.0.0/16",
                              "arn:aws:kms:us-west-2:123456789012:key/abc", [], {"managed-by": "hardened-eks"},
                              kubeconfig='{"apiVersion": "v1"}')
        for key, value in outputs.items():
            pulumi.export(key, value)

    return run_with_mocks(program, make_raw_config())


@pytest.fixture(scope="module")
def mocks():
    return run_proof()


def kube_objects(mocks):
    """Every Kubernetes object of the proofs, as handed to their ConfigGroups (their `objs` input). The node audits'
    groups (node-audit-*, root with CAP_DAC_READ_SEARCH by design) are tested in tests/test_node_audit.py."""
    return [obj for group in mocks.of_type(CONFIG_GROUP) if group.name.startswith("proof-")
            for obj in group.inputs["objs"]]


def of_kind(mocks, kind, namespace=None):
    return [o for o in kube_objects(mocks) if o["kind"] == kind
            and (namespace is None or o["metadata"].get("namespace") == namespace)]


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def test_every_node_group_gets_workloads_tests_and_kube_bench(mocks):
    expected_tests = {t.name for t in load_tests()}
    for target in TARGETS:
        ns = proof_namespace(target.pattern, target.level)
        assert {o["metadata"]["name"] for o in of_kind(mocks, "Deployment", ns)} == {"sample-web"}
        assert {o["metadata"]["name"] for o in of_kind(mocks, "StatefulSet", ns)} == {"sample-store"}
        assert {o["metadata"]["name"] for o in of_kind(mocks, "DaemonSet", ns)} == {"sample-agent"}
        assert {o["metadata"]["name"] for o in of_kind(mocks, "Service", ns)} >= {"sample-web", "sample-web-pods"}
        jobs = {o["metadata"]["labels"]["hardened-eks/test"] for o in of_kind(mocks, "Job", ns)}
        assert jobs == expected_tests
        bench = of_kind(mocks, "Job", f"{ns}-host")
        assert [j["metadata"]["name"] for j in bench] == [f"kube-bench-{target.ami_id}"]


def test_everything_is_pinned_to_its_node_group(mocks):
    for target in TARGETS:
        ns = proof_namespace(target.pattern, target.level)
        selector = {"hardened-eks/pattern": target.pattern, "hardened-eks/level": str(target.level)}
        pods = [o for o in kube_objects(mocks) if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job")
                and o["metadata"]["namespace"] in (ns, f"{ns}-host")]
        assert len(pods) == 3 + len(load_tests()) + 1
        assert all(pod_spec(o)["nodeSelector"] == selector for o in pods)


@pytest.mark.parametrize("version", ["1.29", "1.33", "1.35"])
def test_every_kubernetes_object_validates_against_the_configured_version(version):
    mocks = run_proof(TARGETS[:2], version=version)
    objects = kube_objects(mocks)
    assert len(objects) > 100
    for obj in objects:
        kubernetes_validate.validate(obj, f"{version}.0", strict=True)


def test_a_broken_object_does_fail_validation(mocks):
    job = json.loads(json.dumps(of_kind(mocks, "Job")[0]))
    pod_spec(job)["containers"][0]["securityContext"]["runAsNonRot"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(job, "1.33.0", strict=True)


def test_pods_run_restricted_and_non_root_except_kube_bench(mocks):
    for obj in kube_objects(mocks):
        if obj["kind"] not in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            continue
        spec = pod_spec(obj)
        if obj["metadata"]["name"].startswith("kube-bench-"):
            assert spec["hostPID"] is True
            container = spec["containers"][0]
            assert container["securityContext"]["runAsUser"] == 0
            assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
            assert container["securityContext"]["privileged"] is False
            assert all(m["readOnly"] for m in container["volumeMounts"] if m["name"] != "tmp")
            assert all(v["hostPath"]["path"] in ("/var/lib/kubelet", "/etc/systemd", "/etc/kubernetes")
                       for v in spec["volumes"] if "hostPath" in v)
            continue
        assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] != 0
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert not spec.get("hostPID") and not spec.get("hostNetwork")
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False and context["capabilities"] == {"drop": ["ALL"]}
        assert not any("hostPath" in v for v in spec.get("volumes", []))


def test_kube_bench_runs_the_mapped_benchmark_once_per_node(mocks):
    bench = of_kind(mocks, "Job", "proof-eks-optimized-al2023-l1-host")[0]
    command = pod_spec(bench)["containers"][0]["command"]
    assert command[:2] == ["kube-bench", "run"] and "--json" in command
    assert command[command.index("--benchmark") + 1] == "eks-1.8.0"
    assert bench["spec"]["completions"] == bench["spec"]["parallelism"] == 2
    anti = pod_spec(bench)["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert anti["topologyKey"] == "kubernetes.io/hostname"


def test_namespaces_carry_pod_security_labels(mocks):
    for target in TARGETS:
        ns = proof_namespace(target.pattern, target.level)
        namespaces = {o["metadata"]["name"]: o["metadata"] for o in of_kind(mocks, "Namespace")}
        assert namespaces[ns]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
        host = namespaces[f"{ns}-host"]
        assert host["labels"]["pod-security.kubernetes.io/enforce"] == "privileged"
        assert "kube-bench" in host["annotations"]["hardened-eks/why-privileged"]
        # the privileged namespace holds kube-bench and nothing else that runs
        runs = [o for o in kube_objects(mocks) if o["metadata"].get("namespace") == f"{ns}-host"
                and o["kind"] in ("Job", "Deployment", "DaemonSet", "StatefulSet")]
        assert [o["metadata"]["name"] for o in runs] == [f"kube-bench-{target.ami_id}"]


def test_default_deny_and_only_the_allows_the_tests_need(mocks):
    ns = "proof-bottlerocket-l1"
    policies = {o["metadata"]["name"]: o["spec"] for o in of_kind(mocks, "NetworkPolicy", ns)}
    assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"], "ingress": [],
                                        "egress": []}
    assert set(policies) == {"default-deny", "allow-dns", "allow-web-from-clients", "allow-egress-to-web",
                             "allow-pod-identity-agent", "allow-imds-probe", "allow-kubernetes-api"}
    ingress = policies["allow-web-from-clients"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"]
    assert ingress == {"hardened-eks/web-client": "true"}
    assert of_kind(mocks, "NetworkPolicy", f"{ns}-host")[0]["spec"]["policyTypes"] == ["Ingress", "Egress"]
    # a deny twin carries the egress role but never the client role the target admits
    jobs = {o["metadata"]["labels"]["hardened-eks/test"]: pod_spec(o) for o in of_kind(mocks, "Job", ns)}
    for twin in ("pod-to-pod-denied", "pod-to-service-denied", "cross-node-group-denied"):
        labels = next(o for o in of_kind(mocks, "Job", ns)
                      if o["metadata"]["labels"]["hardened-eks/test"] == twin)["spec"]["template"]["metadata"]["labels"]
        assert labels.get("hardened-eks/web-egress") == "true" and "hardened-eks/web-client" not in labels
    assert jobs["pod-identity"]["serviceAccountName"] == "pod-identity"
    assert jobs["pod-identity-unassociated"]["serviceAccountName"] == "no-pod-identity"


def test_job_names_carry_the_ami_and_jobs_do_not_block_up(mocks):
    for job in of_kind(mocks, "Job"):
        ami = job["metadata"]["labels"]["hardened-eks/ami-id"]
        assert job["metadata"]["name"].endswith(f"-{ami}") and len(job["metadata"]["name"]) <= 63
        assert job["metadata"]["annotations"][SKIP_AWAIT] == "true"
    for kind in ("Deployment", "StatefulSet", "DaemonSet", "Service"):
        assert all(o["metadata"]["annotations"][SKIP_AWAIT] == "true" for o in of_kind(mocks, kind))


def test_strict_mode_awaits_everything_but_the_pull_refusal():
    mocks = run_proof(TARGETS[:1], strict=True)
    awaited = [o for o in kube_objects(mocks) if SKIP_AWAIT not in o["metadata"].get("annotations", {})]
    assert {o["kind"] for o in awaited} >= {"Job", "Deployment", "StatefulSet", "DaemonSet", "Service"}
    skipped = [o["metadata"]["labels"].get("hardened-eks/test") for o in of_kind(mocks, "Job")
               if SKIP_AWAIT in o["metadata"].get("annotations", {})]
    assert skipped == ["image-pull-unknown"]


def test_a_rebuilt_ami_gets_fresh_jobs():
    old = {o["metadata"]["name"] for o in of_kind(run_proof(TARGETS[2:]), "Job")}
    rebuilt = [NodeGroupTarget("bottlerocket", 1, "ami-0ccccccccccccccc1", service_cidr=SERVICE_CIDR)]
    new = {o["metadata"]["name"] for o in of_kind(run_proof(rebuilt), "Job")}
    assert old and new and not old & new
    # The group keeps its name; inside it a Job's resource name follows its object name, so the old
    # AMI's Jobs are deleted and the new AMI's created, never updated in place.
    assert [g.name for g in run_proof(rebuilt).of_type(CONFIG_GROUP)] == ["proof-bottlerocket-l1-objects"]


def test_same_inputs_same_resource_inputs():
    first, second = run_proof(TARGETS[:1]), run_proof(TARGETS[:1])
    def inputs(mocks):  # registration order is concurrent; the set of (resource, inputs) is what must match
        return sorted(json.dumps([r.type, r.name, r.inputs], sort_keys=True) for r in mocks.resources)

    assert inputs(first) == inputs(second)


def test_cross_node_group_tests_call_another_node_group_and_are_dropped_when_alone(mocks):
    for target, peer in zip(TARGETS, [*TARGETS[1:], TARGETS[0]], strict=True):
        ns = proof_namespace(target.pattern, target.level)
        job = next(o for o in of_kind(mocks, "Job", ns) if o["metadata"]["labels"]["hardened-eks/test"] == "cross-node-group")
        url = pod_spec(job)["containers"][0]["command"][-1]
        assert f".{proof_namespace(peer.pattern, peer.level)}.svc" in url
    alone = run_proof(TARGETS[:1])
    assert not [o for o in of_kind(alone, "Job") if "cross-node-group" in o["metadata"]["name"]]


def test_exports_say_which_results_to_read(mocks):
    proof = mocks.exports["workloadProof"]
    assert set(proof) == {"eks-optimized-al2023/level-1", "eks-optimized-al2023/level-2", "bottlerocket/level-1"}
    entry = proof["bottlerocket/level-1"]
    assert entry["amiId"] == "ami-0bbbbbbbbbbbbbbb1" and entry["namespace"] == "proof-bottlerocket-l1"
    assert entry["tests"]["dns-cluster"]["job"] == "dns-cluster-ami-0bbbbbbbbbbbbbbb1"
    assert entry["kubeBench"]["job"] == "kube-bench-ami-0bbbbbbbbbbbbbbb1"
    assert "config.json.d" in proof["eks-optimized-al2023/level-1"]["kubeBench"]["kubeletConfig"]
    assert set(mocks.exports["addonVersions"]) == {"coredns", "aws-ebs-csi-driver", "metrics-server"}


def test_pod_identity_association_per_node_group(mocks):
    associations = [r for r in mocks.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
                    if r.parent and r.parent.startswith("proof-")]
    assert sorted((r.inputs["namespace"], r.inputs["serviceAccount"]) for r in associations) == sorted(
        (proof_namespace(t.pattern, t.level), "pod-identity") for t in TARGETS)
    roles = [r for r in mocks.of_type("aws:iam/role:Role") if r.parent and r.parent.startswith("proof-")]
    assert all(json.loads(r.inputs["assumeRolePolicy"])["Statement"][0]["Principal"] ==
               {"Service": "pods.eks.amazonaws.com"} for r in roles)
    assert not [r for r in mocks.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                if r.parent and r.parent.startswith("proof-")]  # the test role has no permissions at all


def test_components_are_parented_and_typed(mocks):
    components = {r.name: r.type for r in mocks.resources if not r.custom}
    assert components["addons"] == "hardened-eks:addons:Addons"
    assert components["proof-bottlerocket-l1"] == "hardened-eks:workloads:Workloads"
    assert all(r.parent == "proof-bottlerocket-l1" for r in mocks.resources
               if r.custom and r.name.startswith("proof-bottlerocket-l1-"))


def test_component_can_be_built_without_the_program():
    def program():
        provider = k8s.Provider("k8s", kubeconfig="{}")
        Workloads("proof", WorkloadsArgs(target=NodeGroupTarget("cis-al2023", 2, "ami-0ddddddddddddddd2",
                                                                 labels={"custom/group": "cis-2"},
                                                                 service_cidr="10.100.0.0/16"),
                                         cluster_name="c", kubernetes_version="1.33", region="eu-west-1",
                                         vpc_cidr="10.1.0.0/16", k8s_provider=provider))
    mocks = run_with_mocks(program, {"aws:region": "eu-west-1"})
    jobs = [o for o in kube_objects(mocks) if o["kind"] == "Job"]
    assert jobs and all(j["spec"]["template"]["spec"]["nodeSelector"] == {"custom/group": "cis-2"} for j in jobs)
    dns = next(j for j in jobs if j["metadata"]["name"].startswith("dns-external-"))
    assert dns["spec"]["template"]["spec"]["containers"][0]["command"][-1] == "sts.eu-west-1.amazonaws.com"


def test_program_wires_add_ons_and_a_proof_per_node_group(run_program):
    mocks = run_program()
    proof = mocks.exports["workloadProof"]
    assert set(proof) == set(mocks.exports["nodeGroups"])
    for key, entry in proof.items():
        assert entry["amiId"] == mocks.exports["nodeGroups"][key]["amiId"]
        assert entry["tests"]["cross-node-group"]["job"].endswith(entry["amiId"])
    assert len(mocks.of_type("aws:eks/addon:Addon")) >= len(ADDONS)


# -- one ConfigGroup per node group: ordering, replacement, resource count --------------------------

FOUNDATION_KINDS = ("ServiceAccount", "Role", "NetworkPolicy", "ConfigMap")
SAMPLE_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Service")


def references(objects, *kinds):
    return {object_reference(o) for o in objects if o["kind"] in kinds}


def depends_on(obj):
    value = obj["metadata"].get("annotations", {}).get(DEPENDS_ON)
    return value.split(",") if value else []


def test_objects_are_created_in_dependency_order(mocks):
    for group in mocks.of_type(CONFIG_GROUP):
        objects = group.inputs["objs"]
        by_reference = {object_reference(o): o for o in objects}
        assert len(by_reference) == len(objects)
        namespaces = {o["metadata"]["name"] for o in objects if o["kind"] == "Namespace"}
        for obj in objects:
            needs = depends_on(obj)
            # the group refuses references to objects outside it and repeated ones
            assert len(needs) == len(set(needs)) and set(needs) <= set(by_reference), object_reference(obj)
            if obj["kind"] != "Namespace":  # created after its Namespace, which the same group holds
                assert obj["metadata"]["namespace"] in namespaces
            if obj["kind"] in ("Namespace", *FOUNDATION_KINDS):
                assert needs == []
            elif obj["kind"] in ("RoleBinding", *SAMPLE_KINDS):
                assert set(needs) == references(objects, *FOUNDATION_KINDS)
            else:
                assert obj["kind"] == "Job"
                assert set(needs) == references(objects, "RoleBinding", *SAMPLE_KINDS)
        # With the group's own rule (namespaced objects after their Namespace) the order is a DAG in
        # which every Job comes after every other object of its node group.
        graph = {object_reference(o): {*depends_on(o)} | (
            set() if o["kind"] == "Namespace" else {f"/Namespace/{o['metadata']['namespace']}"}) for o in objects}
        graphlib.TopologicalSorter(graph).prepare()  # raises CycleError
        for job in references(objects, "Job"):
            assert ancestors(graph, job) == set(graph) - references(objects, "Job")


def ancestors(graph, node):
    found, todo = set(), list(graph[node])
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(graph[current])
    return found


def test_the_group_waits_for_the_add_ons_and_the_pod_identity_association(mocks):
    addons = {r.name for r in mocks.of_type("aws:eks/addon:Addon") if r.parent == "addons"}
    assert addons >= {"addons-coredns", "addons-aws-ebs-csi-driver", "addons-metrics-server"}
    for target in TARGETS:
        proof = proof_namespace(target.pattern, target.level)
        (group,) = [g for g in mocks.of_type(CONFIG_GROUP) if g.parent == proof]
        assert group.name == f"{proof}-objects"
        (association,) = [r for r in mocks.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
                          if r.parent == proof]
        assert set(group.depends_on) == addons | {association.name, f"{proof}-volumes"}
        assert association.depends_on == ()  # anything from the group here would be a cycle


@dataclass
class TransformRecordingMocks(HardenedEksMocks):
    transforms: dict = field(default_factory=dict)

    def new_resource(self, args):
        self.transforms[args.name] = list(args.transforms)
        return super().new_resource(args)


def test_a_changed_job_is_replaced_never_updated():
    def program():
        provider = k8s.Provider("k8s", kubeconfig="{}")
        Workloads("proof", WorkloadsArgs(target=TARGETS[0], cluster_name="c", kubernetes_version="1.33",
                                         region="us-west-2", vpc_cidr="10.1.0.0/16", k8s_provider=provider))

    mocks = run_with_mocks(program, make_raw_config(), mocks=TransformRecordingMocks())
    assert mocks.transforms["proof-objects"] == [replace_jobs_on_any_change]

    def transformed(type_token):
        return replace_jobs_on_any_change(pulumi.ResourceTransformArgs(
            custom=True, type_=type_token, name="proof-objects:ns/x", props={"kind": "x"},
            opts=pulumi.ResourceOptions(ignore_changes=["status"])))

    job = transformed(JOB)
    assert job.props == {"kind": "x"}
    assert job.opts.replace_on_changes == ["*"] and job.opts.delete_before_replace is True
    assert job.opts.ignore_changes == ["status"]  # the group's own options survive
    for other in ("kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Namespace", "kubernetes:core/v1:ConfigMap"):
        assert transformed(other) is None


def test_each_node_group_costs_five_resources_in_the_plan(mocks):
    """The Python SDK spends ~10-15 ms per registered resource: the proof must not grow with its objects."""
    for target in TARGETS:
        proof = proof_namespace(target.pattern, target.level)
        mine = [r for r in mocks.resources if r.name == proof or r.parent == proof]
        assert sorted(r.type for r in mine) == sorted([
            "hardened-eks:workloads:Workloads", CONFIG_GROUP, "aws:iam/role:Role",
            "aws:eks/podIdentityAssociation:PodIdentityAssociation", "pulumi-python:dynamic/workloads:ProofVolumes"])
        assert not [r for r in mocks.resources if r.parent == f"{proof}-objects"]
        (group,) = [r for r in mine if r.type == CONFIG_GROUP]
        assert len(group.inputs["objs"]) > 50  # and the objects are all still there


# pulumi-kubernetes awaits a Job for DefaultJobTimeoutMins = 10 minutes unless the object says otherwise
# (provider/pkg/await/job.go); `pulumi.com/timeoutSeconds` overrides it.
PULUMI_KUBERNETES_JOB_TIMEOUT_SECONDS = 10 * 60


def test_strict_jobs_are_awaited_at_least_as_long_as_they_may_run_and_replaced_when_they_failed():
    from hardened_eks.workload_tests.manifests import REPLACE_UNREADY, TIMEOUT_SECONDS

    jobs = of_kind(run_proof(TARGETS[:1], strict=True), "Job")
    awaited = [j for j in jobs if SKIP_AWAIT not in j["metadata"]["annotations"]]
    assert len(awaited) == len(jobs) - 1  # all but the pull refusal, whose pod never starts
    for job in awaited:
        annotations = job["metadata"]["annotations"]
        await_seconds = int(annotations.get(TIMEOUT_SECONDS, PULUMI_KUBERNETES_JOB_TIMEOUT_SECONDS))
        assert await_seconds >= job["spec"]["activeDeadlineSeconds"], job["metadata"]["name"]
        # a Job that failed is replaced (re-run) on the next up, not awaited again as the same failed Job
        assert annotations[REPLACE_UNREADY] == "true"
    # outside strict mode nothing is awaited, so neither annotation is there
    for job in of_kind(run_proof(TARGETS[:1]), "Job"):
        assert not {TIMEOUT_SECONDS, REPLACE_UNREADY} & set(job["metadata"]["annotations"])


def test_a_new_launch_template_version_re_runs_the_jobs_on_the_same_ami():
    """Nodes replaced by a launch template change keep the AMI: the Jobs (same names) must still change,
    so the replace-on-any-change transform re-creates them on the new nodes."""
    base = TARGETS[2]
    before = {o["metadata"]["name"]: o for o in of_kind(run_proof([base]), "Job")}
    changed = NodeGroupTarget(base.pattern, base.level, base.ami_id, bootstrap=base.bootstrap,
                              service_cidr=SERVICE_CIDR, launch_template_version=4)
    after_mocks = run_proof([changed])
    after = {o["metadata"]["name"]: o for o in of_kind(after_mocks, "Job")}
    assert set(before) == set(after)
    for name, job in after.items():
        assert job["spec"]["template"] != before[name]["spec"]["template"], name
        assert job["spec"]["template"]["metadata"]["labels"]["hardened-eks/launch-template-version"] == "4"
    assert after_mocks.exports["workloadProof"]["bottlerocket/level-1"]["launchTemplateVersion"] == "4"

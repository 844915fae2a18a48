"""Fixtures of the AMI build tests (a pytest plugin named in tests/conftest.py): a fake Packer on PATH that
does to the moto server what the amazon-ebs builder does to EC2."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from hardened_eks.ami_build.runner import Runner
from tests.ami_helpers import audit_doc, use_stand_in_script

ROOT = Path(__file__).resolve().parent.parent
FAKE_BIN = ROOT / "tests" / "fixtures" / "packer"


def fake_bin(folder: Path, with_plugin: bool = True) -> Path:
    """A PATH folder whose `packer` is the fake, run by this interpreter (it needs boto3)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "packer").write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE_BIN / "packer"}" "$@"\n')
    (folder / "packer").chmod(0o755)
    if with_plugin:
        shutil.copy(FAKE_BIN / "session-manager-plugin", folder / "session-manager-plugin")
    return folder


@pytest.fixture
def fake_packer(tmp_path, monkeypatch, aws):
    """PATH with the fake packer and session-manager-plugin; audits the download steps bring back."""
    use_stand_in_script(monkeypatch)
    files = tmp_path / "downloads"
    files.mkdir()
    (files / "audit-before.json").write_text(json.dumps(audit_doc({"1.1.1": "fail", "1.2.1": "pass"})))
    (files / "audit-after.json").write_text(json.dumps(audit_doc({"1.1.1": "pass", "1.2.1": "pass"})))
    calls = tmp_path / "calls.jsonl"
    monkeypatch.setenv("PATH", f"{fake_bin(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("HARDENED_EKS_PACKER", raising=False)
    monkeypatch.setenv("FAKE_PACKER_FILES", str(files))
    monkeypatch.setenv("FAKE_PACKER_CALLS", str(calls))
    monkeypatch.setenv("FAKE_PACKER_MODE", "success")
    return calls


def packer_calls(calls: Path) -> list[list[str]]:
    return [json.loads(line)["argv"] for line in calls.read_text().splitlines()] if calls.exists() else []


def runner(spec, **kwargs) -> Runner:
    return Runner(spec, say=lambda _: None, sleep=lambda _: None, **kwargs)

"""The builder's user data: an SSM agent for images without one, and no restart of one that already runs."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "packer" / "scripts" / "builder-user-data.sh"


def run(tmp_path, installed: bool, active: bool) -> list[str]:
    bin_dir, calls = tmp_path / "bin", tmp_path / "calls"
    bin_dir.mkdir()
    tools = {"rpm": f"exit {0 if installed else 1}", "dnf": 'echo "dnf $*" >> "$CALLS"',
             "systemctl": f'echo "systemctl $*" >> "$CALLS"; [[ $1 != is-active ]] || exit {0 if active else 3}'}
    for name, body in tools.items():
        (bin_dir / name).write_text(f"#!/bin/bash\n{body}\n")
        (bin_dir / name).chmod(0o755)
    subprocess.run(["env", "-i", f"PATH={bin_dir}:/usr/bin:/bin", f"CALLS={calls}", "bash", "-u", str(SCRIPT)],
                   check=True, timeout=30)
    return calls.read_text().splitlines() if calls.exists() else []


@pytest.mark.parametrize(("installed", "active", "expected"), [
    (False, False, ["dnf install -y amazon-ssm-agent", "systemctl enable --now amazon-ssm-agent"]),
    (True, True, ["systemctl is-active --quiet amazon-ssm-agent"]),  # the running agent is left alone
    (True, False, ["systemctl is-active --quiet amazon-ssm-agent", "systemctl enable --now amazon-ssm-agent"]),
])
def test_the_agent_is_installed_or_started_never_restarted(tmp_path, installed, active, expected):
    calls = run(tmp_path, installed, active)
    assert calls == expected
    assert not any("restart" in call for call in calls)

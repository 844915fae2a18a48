"""Every shell file and every rendered profile is shellcheck-clean."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.hardening.harness import SCENARIOS, script_path

ROOT = Path(__file__).resolve().parents[2]
SHELLCHECK = ROOT / ".venv" / "bin" / "shellcheck"


def shellcheck(*paths: Path) -> subprocess.CompletedProcess[str]:
    exe = str(SHELLCHECK) if SHELLCHECK.exists() else "shellcheck"
    return subprocess.run([exe, "-x", *map(str, paths)], capture_output=True, text=True)


@pytest.mark.parametrize("benchmark", ["al2023", "al2"])
@pytest.mark.parametrize("level, ip_family", [(1, "ipv4"), (2, "ipv4"), (2, "ipv6")])
def test_rendered_script_is_shellcheck_clean(benchmark, level, ip_family):
    proc = shellcheck(script_path(benchmark, level, ip_family))
    assert proc.returncode == 0, proc.stdout


def test_snippets_and_scenarios_are_shellcheck_clean():
    files = sorted((ROOT / "hardening").rglob("*.sh")) + sorted(SCENARIOS.rglob("*.sh"))
    proc = shellcheck(*files)
    assert proc.returncode == 0, proc.stdout[:5000]

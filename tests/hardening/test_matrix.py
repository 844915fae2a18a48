from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hardening.matrix import matrix

ROOT = Path(__file__).resolve().parents[2]


def test_matrix_shows_every_control_and_pattern_action():
    text = matrix(["al2023"], "text")
    assert "level 1 (179 controls" in text and "level 2 (243 controls" in text
    header = next(line for line in text.splitlines() if line.startswith("id "))
    assert "eks-optimized-al2023" in header and "cis-al2023" in header
    line = next(line for line in text.splitlines() if line.startswith("3.2.1 "))
    assert line.count("excepted (eks-ip-forwarding)") == 2  # shown as excepted for both patterns
    line = next(line for line in text.splitlines() if line.startswith("1.5.1 "))
    assert "apply" in line and "audit" in line


def test_matrix_cli_markdown():
    proc = subprocess.run([sys.executable, "-m", "hardening", "matrix", "--benchmark", "al2023", "--format",
                           "markdown"], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "| 1.1.1.1 | 2 |" in proc.stdout

"""Packer templates and provisioner scripts: Debian's packer validates them, fmt is clean, shellcheck too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hardened_eks.ami_build.runner import Runner
from hardened_eks.ami_build.spec import PACKER_DIR, TEMPLATE_DIR
from tests.ami_helpers import make_spec, use_stand_in_script

PACKER = shutil.which("packer")
needs_packer = pytest.mark.skipif(PACKER is None, reason="packer is not installed (make deps installs it)")
# Settings of current Packer that Debian's 1.6.6 does not know sit between these markers.
_NEWER_THAN_1_6_6 = re.compile(r"^\s*# packer-1\.6\.6-unknown: begin.*?# packer-1\.6\.6-unknown: end[^\n]*\n",
                               re.S | re.M)


def packer_version() -> tuple[int, ...]:
    out = subprocess.run([PACKER, "version"], capture_output=True, text=True, check=True).stdout
    return tuple(int(n) for n in re.search(r"v(\d+)\.(\d+)\.(\d+)", out).groups())


def copy_for_debian_packer(tmp_path: Path) -> Path:
    """A copy of packer/ that Packer 1.6.6 can validate: without plugins.pkr.hcl (it rejects the
    `packer { required_plugins }` block) and without the marked settings it predates."""
    copy = tmp_path / "packer"
    shutil.copytree(PACKER_DIR, copy)
    template = copy / TEMPLATE_DIR.name
    if packer_version() < (1, 7, 0):
        (template / "plugins.pkr.hcl").unlink()
        for path in template.glob("*.pkr.hcl"):
            path.write_text(_NEWER_THAN_1_6_6.sub("", path.read_text()))
    return template


@pytest.fixture
def var_file(tmp_path, monkeypatch) -> Path:
    use_stand_in_script(monkeypatch)
    spec = make_spec(tmp_path)
    spec.build_dir.mkdir(parents=True)
    (spec.build_dir / "cis-harden.sh").write_text("#!/bin/bash\n")
    path = tmp_path / "variables.pkrvars.json"
    path.write_text(json.dumps(Runner(spec).packer_variables()))
    return path


def test_the_marked_block_is_all_that_is_dropped():
    text = (TEMPLATE_DIR / "node-ami.pkr.hcl").read_text()
    stripped = _NEWER_THAN_1_6_6.sub("", text)
    assert "http_tokens" in text and "http_tokens" not in stripped and "imds_support" not in stripped
    assert stripped.count("\n") > text.count("\n") - 12  # only the marked lines went


@needs_packer
@pytest.mark.parametrize("method", ["harden-eks-optimized", "eks-on-cis-ami"])
def test_templates_validate_with_the_generated_var_file(tmp_path, var_file, method):
    template = copy_for_debian_packer(tmp_path)
    result = subprocess.run([PACKER, "validate", f"-only=amazon-ebs.{method}", f"-var-file={var_file}",
                             str(template)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_packer
def test_validation_catches_a_missing_variable(tmp_path, var_file):
    template = copy_for_debian_packer(tmp_path)
    variables = json.loads(var_file.read_text())
    del variables["kms_key_id"]
    var_file.write_text(json.dumps(variables))
    result = subprocess.run([PACKER, "validate", f"-var-file={var_file}", str(template)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode != 0 and "kms_key_id" in result.stdout + result.stderr


@needs_packer
def test_templates_are_packer_formatted():
    result = subprocess.run([PACKER, "fmt", "-check", str(TEMPLATE_DIR)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, f"run `packer fmt {TEMPLATE_DIR}`: {result.stdout}"


def test_every_template_setting_that_matters_for_security_is_there():
    text = (TEMPLATE_DIR / "node-ami.pkr.hcl").read_text()
    for setting in ('ssh_interface               = "session_manager"', "associate_public_ip_address = false",
                    'http_tokens                 = "required"', "encrypt_boot       = true", "encrypted             = true",
                    "snapshot_tags         = var.ami_tags"):
        assert setting in text
    assert "/tmp" not in re.sub(r"#.*", "", text)  # nothing runs from /tmp
    assert text.count('remote_folder    = var.shell_remote_folder') + text.count(
        "remote_folder     = var.shell_remote_folder") + text.count("remote_folder   = var.shell_remote_folder") \
        == text.count('provisioner "shell"')


def test_shell_files_are_shellcheck_clean():
    files = [*sorted(PACKER_DIR.rglob("*.sh")), Path(__file__).parent / "fixtures" / "packer" / "session-manager-plugin"]
    shellcheck = Path(sys.executable).parent / "shellcheck"
    result = subprocess.run([str(shellcheck), "--severity=style", *map(str, files)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout

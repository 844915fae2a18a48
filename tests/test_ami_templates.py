"""Packer templates and provisioner scripts: Debian's packer validates them, fmt is clean, shellcheck too."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hardened_eks.ami_build.runner import Runner
from hardened_eks.ami_build.spec import PACKER_DIR, TEMPLATE_DIR, template_digest
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


def settings(text: str) -> dict[str, str]:
    """`name = value` pairs of one HCL block body, whitespace-insensitive (nested blocks included)."""
    return {m[1]: m[2].strip() for m in re.finditer(r"^\s*(\w+)\s*=\s*(.+?)\s*$", text, re.MULTILINE)}


def blocks(text: str, kind: str) -> list[tuple[str, str]]:
    """(labels, body) of every `kind "label" ... {...}` block, in order (braces matched)."""
    found = []
    for match in re.finditer(rf'^\s*{kind}((?:\s+"[^"]+")+)\s*{{', text, re.MULTILINE):
        depth, index = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            index += 1
        found.append((" ".join(re.findall(r'"([^"]+)"', match[1])), text[match.end():index - 1]))
    return found


def duration_seconds(value: str) -> int:
    return sum(int(n) * {"s": 1, "m": 60, "h": 3600}[unit] for n, unit in re.findall(r"(\d+)([smh])", value.strip('"')))


def test_every_template_setting_that_matters_for_security_is_there():
    text = (TEMPLATE_DIR / "node-ami.pkr.hcl").read_text()
    source = dict(blocks(text, "source"))["amazon-ebs node"]
    wanted = {"ssh_interface": '"session_manager"', "associate_public_ip_address": "false", "http_tokens": '"required"',
              "encrypt_boot": "true", "encrypted": "true", "snapshot_tags": "var.ami_tags",
              "temporary_key_pair_name": "var.temporary_key_pair_name", "run_tags": "var.run_tags"}
    assert {k: settings(source).get(k) for k in wanted} == wanted
    assert "/tmp" not in re.sub(r"#.*", "", text)  # nothing runs from /tmp
    shells = [body for kind, body in blocks(text, "provisioner") if kind == "shell"]
    assert shells and all(settings(body).get("remote_folder") == "var.shell_remote_folder" for body in shells)


def test_packer_waits_long_enough_for_copies_and_reconnects():
    """Encrypted and cross-region copies outlast the plugin's 30-minute default; after a reboot the Session
    Manager tunnel needs more than the shell provisioner's 5-minute default (a relabel boots twice)."""
    text = (TEMPLATE_DIR / "node-ami.pkr.hcl").read_text()
    source = dict(blocks(text, "source"))["amazon-ebs node"]
    polling = settings(source[source.index("aws_polling"):])
    assert int(polling["delay_seconds"]) * int(polling["max_attempts"]) >= 4 * 3600
    provisioners = blocks(text, "provisioner")
    after_reboot = [body for (_, previous), (_, body) in itertools.pairwise(provisioners)
                    if settings(previous).get("expect_disconnect") == "true"]
    assert len(after_reboot) == 3  # after the partitions, the AL2 kernel (method 2) and the final reboot
    for body in after_reboot:
        assert duration_seconds(settings(body).get("start_retry_timeout", "0s")) >= 15 * 60, body
        assert settings(body).get("pause_before"), body


def test_the_amazon_plugin_is_pinned_to_one_version_that_is_part_of_the_build_hash(tmp_path):
    plugins = (TEMPLATE_DIR / "plugins.pkr.hcl").read_text()
    assert re.search(r'version\s*=\s*"=\s*\d+\.\d+\.\d+"', plugins), "the amazon plugin must be pinned exactly"
    copy = tmp_path / "packer"
    shutil.copytree(TEMPLATE_DIR.parent, copy)
    before = template_digest(copy)
    template_digest.cache_clear()
    pinned = copy / "node-ami" / "plugins.pkr.hcl"
    pinned.write_text(re.sub(r'"=\s*[\d.]+"', '"= 9.9.9"', pinned.read_text()))
    assert template_digest(copy) != before
    template_digest.cache_clear()


def test_shell_files_are_shellcheck_clean():
    files = [*sorted(PACKER_DIR.rglob("*.sh")), Path(__file__).parent / "fixtures" / "packer" / "session-manager-plugin"]
    shellcheck = Path(sys.executable).parent / "shellcheck"
    result = subprocess.run([str(shellcheck), "--severity=style", *map(str, files)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout


def level_2_spec(tmp_path, monkeypatch):
    from hardened_eks.ami_build.volumes import PARTITION_VOLUMES, PartitionVolume

    use_stand_in_script(monkeypatch)
    volumes = tuple(PartitionVolume(v.mountpoint, v.device, v.size_gib, control)
                    for v, control in zip(PARTITION_VOLUMES.values(), ("1.1.3.1", "1.1.4.1", "1.1.5.1", "1.1.6.1",
                                                                       "1.1.7.1"), strict=True))
    spec = make_spec(tmp_path, level=2, volumes=volumes, settings={"remote-log-host": "logs.example.internal:6514"})
    spec.build_dir.mkdir(parents=True)
    (spec.build_dir / "cis-harden.sh").write_text("#!/bin/bash\n")
    return spec


def test_volumes_and_site_values_reach_packer_and_harden_sh(tmp_path, monkeypatch):
    variables = Runner(level_2_spec(tmp_path, monkeypatch)).packer_variables()
    assert variables["partition_volumes"][0] == {"device_name": "/dev/sdf", "volume_size": 100}
    assert len(variables["partition_volumes"]) == 5
    assert variables["volume_arguments"].split() == ["/var=/dev/sdf", "/var/tmp=/dev/sdg", "/var/log=/dev/sdh",
                                                     "/var/log/audit=/dev/sdi", "/home=/dev/sdj"]
    assert variables["partition_controls"] == "1.1.3.1 1.1.4.1 1.1.5.1 1.1.6.1 1.1.7.1"
    assert variables["hardening_settings"] == "remote-log-host=logs.example.internal:6514"
    assert variables["site_controls"] == ""  # method 1: every control is applied with the settings


def test_extra_volumes_are_encrypted_with_the_stack_key_and_kept():
    text = (TEMPLATE_DIR / "node-ami.pkr.hcl").read_text()
    block = text[text.index('dynamic "launch_block_device_mappings"'):text.index("encrypt_boot")]
    for setting in ("for_each = var.partition_volumes", "encrypted             = true",
                    "kms_key_id            = var.kms_key_id", 'volume_type           = "gp3"'):
        assert setting in block
    phases = re.findall(r'"PHASE=(\w+)"', text)
    assert phases.index("partitions") < phases.index("all")  # partitions first, then everything else


@needs_packer
def test_templates_validate_with_partition_volumes(tmp_path, monkeypatch):
    template = copy_for_debian_packer(tmp_path)
    path = tmp_path / "level2.pkrvars.json"
    path.write_text(json.dumps(Runner(level_2_spec(tmp_path, monkeypatch)).packer_variables()))
    result = subprocess.run([PACKER, "validate", "-only=amazon-ebs.harden-eks-optimized", f"-var-file={path}",
                             str(template)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# -- harden.sh against a stand-in cis-harden.sh that records its arguments and exits as told ---------------
def run_harden(tmp_path, env: dict[str, str], apply_status: int = 0) -> subprocess.CompletedProcess:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    (work / "cis-harden.sh").write_text(
        f'printf "%s\\n" "$@" > "{work}/args"\necho "cis-harden: 5.1.1.6: no remote log host" >&2\nexit {apply_status}\n')
    return subprocess.run(["bash", str(PACKER_DIR / "scripts" / "harden.sh")], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "WORK_DIR": str(work), **env}, timeout=60, check=False)


@pytest.mark.parametrize("status, build_fails", [(0, False), (1, False), (2, True), (3, True)])
def test_harden_stops_the_build_on_exit_2_with_the_scripts_message(tmp_path, status, build_fails):
    result = run_harden(tmp_path, {"PHASE": "all", "SETTINGS": "remote-log-host=logs.example.internal"}, status)
    assert (result.returncode != 0) == build_fails, result.stderr
    assert "cis-harden: 5.1.1.6: no remote log host" in result.stderr
    assert (tmp_path / "work" / "args").read_text().split() == ["apply", "--set", "remote-log-host=logs.example.internal"]
    if build_fails:
        assert result.returncode == status and f"stopped with status {status}" in result.stderr


def test_harden_site_phase_applies_only_the_site_controls(tmp_path):
    result = run_harden(tmp_path, {"PHASE": "site", "SITE_CONTROLS": "5.1.1.6",
                                   "SETTINGS": "remote-log-host=logs.example.internal"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "work" / "args").read_text().split() == [
        "apply", "--only", "5.1.1.6", "--set", "remote-log-host=logs.example.internal"]
    failed = run_harden(tmp_path, {"PHASE": "site", "SITE_CONTROLS": "5.1.1.6"}, apply_status=2)
    assert failed.returncode == 2 and "for the site values" in failed.stderr


def test_harden_site_phase_does_nothing_without_site_controls(tmp_path):
    result = run_harden(tmp_path, {"PHASE": "site", "SITE_CONTROLS": "", "SETTINGS": ""})
    assert result.returncode == 0 and "no site values" in result.stdout
    assert not (tmp_path / "work" / "args").exists()


def test_method_2_applies_the_site_controls_after_its_fixes():
    text = (TEMPLATE_DIR / "node-ami.pkr.hcl").read_text()
    fixes = text.index("eks-on-cis-fixes.sh")
    site = text.index('"PHASE=site"')
    block = text[text.rindex("provisioner", 0, site):site]
    assert fixes < site and 'only            = ["amazon-ebs.eks-on-cis-ami"]' in block


def test_harden_partitions_phase_does_nothing_without_volumes(tmp_path):
    result = run_harden(tmp_path, {"PHASE": "partitions", "VOLUMES": "", "PARTITION_CONTROLS": ""})
    assert result.returncode == 0 and "no separate-partition volumes" in result.stdout
    assert not (tmp_path / "work" / "args").exists()


def test_harden_names_a_volume_that_is_not_attached(tmp_path):
    result = run_harden(tmp_path, {"PHASE": "partitions", "VOLUMES": "/var=/dev/sdz-missing",
                                   "PARTITION_CONTROLS": "1.1.3.1", "DEVICE_WAIT_TRIES": "1"})
    assert result.returncode == 2 and "no block device /dev/sdz-missing for /var" in result.stderr
    assert not (tmp_path / "work" / "args").exists()


def site_controls_as_packer_passes_them(tmp_path, site: str, eks_install: str) -> str:
    """Evaluate the template's own SITE_CONTROLS expression with `packer console` (Debian's Packer can)."""
    template = (TEMPLATE_DIR / "node-ami.pkr.hcl").read_text()
    expression = re.search(r'"SITE_CONTROLS=\$\{(.+)\}",\n', template)[1]
    folder = tmp_path / "console"
    folder.mkdir()
    (folder / "v.pkr.hcl").write_text(
        f'variable "site_controls" {{\n  default = "{site}"\n}}\nvariable "eks_install_controls" {{\n'
        f'  default = "{eks_install}"\n}}\nsource "null" "x" {{\n  communicator = "none"\n}}\n'
        'build {\n  sources = ["source.null.x"]\n}\n')
    printed = subprocess.run(["packer", "console", str(folder / "v.pkr.hcl")], input=f'"[${{{expression}}}]"\n',
                             capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    return printed.removeprefix("[").removesuffix("]")


@pytest.mark.skipif(shutil.which("packer") is None, reason="packer is not installed")
@pytest.mark.parametrize(("site", "eks_install", "applied"), [
    ("", "", None),  # level 1 without a log host: nothing, never a full apply on the CIS image
    ("5.1.1.6", "", ["5.1.1.6"]),
    ("", "1.6.1.5 5.2.3.6", ["1.6.1.5", "5.2.3.6"]),
    ("5.1.1.6", "5.2.3.6", ["5.1.1.6", "5.2.3.6"]),
])
def test_method_2_site_phase_applies_exactly_the_controls_packer_passes(tmp_path, site, eks_install, applied):
    value = site_controls_as_packer_passes_them(tmp_path, site, eks_install)
    result = run_harden(tmp_path, {"PHASE": "site", "SITE_CONTROLS": value})
    assert result.returncode == 0, result.stderr
    args = tmp_path / "work" / "args"
    if applied is None:
        assert not args.exists() and "no site values" in result.stdout
    else:
        assert [a for a in args.read_text().split() if a not in ("apply", "--only")] == applied


@pytest.mark.parametrize(("phase", "env"), [
    ("site", {"SITE_CONTROLS": "1.5.1.5"}),
    ("partitions", {"PARTITION_CONTROLS": "1.1.3.1", "VOLUMES": ""}),
])
@pytest.mark.parametrize(("status", "build_goes_on"), [(0, True), (1, True), (2, False), (3, False)])
def test_apply_only_phases_leave_deferred_controls_to_the_gate_and_stop_on_errors(tmp_path, phase, env, status,
                                                                                   build_goes_on):
    """cis-harden.sh exits 1 for a control that fails or waits for the next boot (AL2 SELinux from disabled
    schedules a relabel), 2 for usage, 3 when a command failed: only 2 and 3 may stop the build here."""
    systemctl = tmp_path / "bin" / "systemctl"  # the partitions phase reboots; here it only records
    systemctl.parent.mkdir()
    systemctl.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/rebooted\n')
    systemctl.chmod(0o755)
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "cis-harden.sh").write_text(f"exit {status}\n")
    result = subprocess.run(["bash", str(PACKER_DIR / "scripts" / "harden.sh")], capture_output=True, text=True,
                            env={"PATH": f"{systemctl.parent}:/usr/bin:/bin", "WORK_DIR": str(tmp_path / "work"),
                                 "PHASE": phase, **env}, timeout=60, check=False)
    assert (result.returncode == 0) == build_goes_on, result.stderr
    if not build_goes_on:
        assert result.returncode == status and "the build stops" in result.stderr

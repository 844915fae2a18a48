"""Run one AMI build with Packer, and remove AMIs when the stack no longer wants them.

Pulumi runs these through a pulumi-command Command:
- create: render the var file, `packer init` + `packer build`, stream Packer's progress to stderr
  (and build.log), read the manifest, write the build and audit results, print BuildOutput as JSON
  on stdout. A failed build removes whatever image of this build's name Packer had registered.
- update: the build hash changed: build again, then prune to the retention count; it did not
  (only bookkeeping inputs changed): print the previous output and prune.
- delete: remove every AMI of this (stack, pattern, level) in every region, with its snapshots.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hardened_eks import tags
from hardened_eks.ami_build import images
from hardened_eks.ami_build.gate import evaluate, load_audit
from hardened_eks.ami_build.spec import (
    BUILDER_ENV,
    REMOTE_WORK_DIR,
    ROOT_DEVICE_NAME,
    ROOT_VOLUME_GIB,
    SHELL_REMOTE_FOLDER,
    SSH_USERNAME,
    TEMPLATE_DIR,
    BuildOutput,
    BuildSpec,
    sha256,
)
from hardened_eks.results import write_result

LOG_TAIL_LINES = 40
PACKER_ENV = "HARDENED_EKS_PACKER"  # path of the packer executable; default: `packer` on PATH


class BuildError(Exception):
    """A build that cannot start or did not produce an AMI; the message is for the user."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Runner:
    spec: BuildSpec
    ec2_for: images.Ec2Factory = images.default_ec2
    template_dir: Path = TEMPLATE_DIR
    say: Callable[[str], None] = log

    # -- create --------------------------------------------------------------------------------
    def create(self) -> BuildOutput:
        spec = self.spec
        missing = [variable for name, variable in BUILDER_ENV.items() if not getattr(spec, name)]
        if missing:
            raise BuildError(f"{self._what}: the builder's {', '.join(missing)} not set; "
                             "the HardenedAmi component passes them")
        packer = self._packer()
        build_dir = spec.build_dir
        build_dir.mkdir(parents=True, exist_ok=True)
        for stale in ("manifest.json", "audit-before.json", "audit-after.json"):
            (build_dir / stale).unlink(missing_ok=True)
        script = spec.script_text()
        if sha256(script) != spec.script_sha256:
            raise BuildError(f"{self._what}: the hardening script rendered now differs from the one the plan hashed "
                             "(hardening/ changed during the run); run `pulumi up` again")
        (build_dir / "cis-harden.sh").write_text(script)
        (build_dir / "spec.json").write_text(spec.to_json() + "\n")
        var_file = build_dir / "variables.pkrvars.json"
        var_file.write_text(json.dumps(self.packer_variables(), indent=2, sort_keys=True) + "\n")

        reused = self._reuse()
        if reused:
            return reused
        log_path = build_dir / "build.log"
        env = {**os.environ, "PACKER_LOG": "1", "PACKER_LOG_PATH": str(build_dir / "packer-debug.log"),
               "CHECKPOINT_DISABLE": "1"}
        with log_path.open("w") as log_file:
            self._run([packer, "init", str(self.template_dir)], env, log_file, log_path)
            self._run([packer, "build", "-color=false", f"-only=amazon-ebs.{spec.method}",
                       f"-var-file={var_file}", str(self.template_dir)], env, log_file, log_path)
        try:
            output = self._read_manifest(build_dir / "manifest.json", log_path)
        except BuildError as error:
            raise BuildError(f"{error}{self._remove_half_made()}") from None
        self._write_results(output, log_path)
        return output

    def packer_variables(self) -> dict:
        spec = self.spec
        ami_tags = {**spec.ami_tags, tags.BUILD_HASH: spec.build_hash, "Name": spec.ami_name}
        gate = (f"cd {shlex.quote(spec.project_dir)} && {shlex.quote(spec.python)} -m hardened_eks.ami_build gate "
                f"{shlex.quote(str(spec.build_dir))}")
        return {
            "region": spec.region, "source_ami_id": spec.source_ami_id, "instance_type": spec.instance_type,
            "subnet_id": spec.subnet_id, "security_group_id": spec.security_group_id,
            "iam_instance_profile": spec.instance_profile, "kms_key_id": spec.kms_key_id,
            "region_kms_key_ids": dict(spec.region_kms_key_ids), "ami_regions": list(spec.ami_regions),
            "ami_users": list(spec.share_accounts), "ami_name": spec.ami_name,
            "ami_description": f"hardened-eks {spec.pattern} CIS {spec.benchmark} {spec.benchmark_version} "
                               f"level {spec.level}, Kubernetes {spec.kubernetes_version}",
            "ami_tags": ami_tags, "run_tags": {**spec.run_tags, "Name": f"{spec.ami_name}-builder"},
            "root_device_name": ROOT_DEVICE_NAME, "volume_size": ROOT_VOLUME_GIB, "ssh_username": SSH_USERNAME,
            "remote_work_dir": REMOTE_WORK_DIR, "shell_remote_folder": SHELL_REMOTE_FOLDER,
            "hardening_script": str(spec.build_dir / "cis-harden.sh"), "build_dir": str(spec.build_dir),
            "gate_command": gate, "cis_level": spec.level, "os_family": spec.os_family,
            "kubernetes_version": spec.kubernetes_version, "eks_ami_release": spec.eks_ami_release,
            "build_hash": spec.build_hash,
            "partition_volumes": [{"device_name": v.device, "volume_size": v.size_gib} for v in spec.volumes],
            "volume_arguments": spec.volume_arguments(),
            "partition_controls": " ".join(v.control for v in spec.volumes),
            "hardening_settings": spec.settings_arguments(),
            "site_controls": " ".join(spec.site_controls),
        }

    # -- update / delete -----------------------------------------------------------------------
    def update(self, previous_stdout: str | None) -> BuildOutput:
        previous = _previous(previous_stdout)
        if previous and previous.build_hash == self.spec.build_hash:
            self.say(f"{self._what}: inputs of the image unchanged (build {self.spec.build_hash[:16]}); no rebuild")
            output = previous
        else:
            output = self.create()
        regions = set(self.spec.regions) | set(previous.amis if previous else ())
        images.prune(self.ec2_for, regions, self.spec.stack, self.spec.pattern, self.spec.level,
                     self.spec.retention, self.say)
        return output

    def delete(self, previous_stdout: str | None) -> list[str]:
        previous = _previous(previous_stdout)
        regions = set(self.spec.regions) | set(previous.amis if previous else ())
        removed = images.prune(self.ec2_for, regions, self.spec.stack, self.spec.pattern, self.spec.level, 0,
                               self.say)
        self.say(f"{self._what}: removed {len(removed)} AMI(s) in {', '.join(sorted(regions))}")
        return removed

    # -- internals -----------------------------------------------------------------------------
    @property
    def _what(self) -> str:
        return f"AMI build {self.spec.pattern} level {self.spec.level}"

    def _packer(self) -> str:
        packer = os.environ.get(PACKER_ENV) or shutil.which("packer")
        if not packer:
            raise BuildError(f"{self._what}: no `packer` on PATH (set {PACKER_ENV} to its path); install Packer "
                             ">= 1.10 from https://developer.hashicorp.com/packer/install")
        if not shutil.which("session-manager-plugin"):
            raise BuildError(f"{self._what}: the AWS Session Manager plugin (`session-manager-plugin`) is not on "
                             "PATH; Packer reaches the private builder through it. Install it: "
                             "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
                             "session-manager-working-with-install-plugin.html")
        return packer

    def _reuse(self) -> BuildOutput | None:
        """A retained AMI of this exact build (same name, so same inputs) in every region: roll back to it."""
        amis = {}
        for region in self.spec.regions:
            found = [i for i in images.images_named(self.ec2_for(region), self.spec.ami_name)
                     if i.get("State") == "available"]
            if not found:
                return None
            amis[region] = found[0]["ImageId"]
        self.say(f"{self._what}: {self.spec.ami_name} already exists in {', '.join(amis)}; reusing it")
        return BuildOutput(amis[self.spec.region], amis, self.spec.build_hash, self.spec.source_ami_id,
                           self.spec.ami_name)

    def _run(self, argv: list[str], env: dict, log_file, log_path: Path) -> None:
        tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)
        self.say(f"{self._what}: {' '.join(shlex.quote(a) for a in argv)}")
        try:
            process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                       cwd=self.spec.build_dir)
        except OSError as error:
            raise BuildError(f"{self._what}: cannot run {argv[0]}: {error}") from None
        assert process.stdout is not None
        for line in process.stdout:
            log_file.write(line)
            log_file.flush()
            tail.append(line.rstrip("\n"))
            self.say(line.rstrip("\n"))
        status = process.wait()
        if status != 0:
            raise BuildError(f"{self._what} failed: `packer {argv[1]}` exited with status {status}"
                             f"{self._remove_half_made()}.\n"
                             f"Last {len(tail)} lines of the Packer log:\n" + "\n".join(f"  {t}" for t in tail)
                             + f"\nFull log: {log_path} (Packer debug log: {log_path.parent / 'packer-debug.log'})")

    def _remove_half_made(self) -> str:
        """Deregister whatever image of this build's name exists, in every region; say what went."""
        removed = images.remove_named(self.ec2_for, self.spec.regions, self.spec.ami_name, self.say)
        return f"; removed the half-made AMI(s) {', '.join(removed)}" if removed else ""

    def _read_manifest(self, path: Path, log_path: Path) -> BuildOutput:
        if not path.exists():
            raise BuildError(f"{self._what}: Packer finished but wrote no manifest at {path}; "
                             f"cannot tell which AMI it made. Full log: {log_path}")
        try:
            manifest = json.loads(path.read_text())
            run = manifest["last_run_uuid"]
            build = next(b for b in manifest["builds"] if b["packer_run_uuid"] == run)
            amis = dict(part.split(":", 1) for part in build["artifact_id"].split(","))
        except (ValueError, KeyError, StopIteration) as error:
            raise BuildError(f"{self._what}: cannot read the Packer manifest {path} ({type(error).__name__}: "
                             f"{error}). Full log: {log_path}") from None
        missing = [r for r in self.spec.regions if r not in amis]
        if missing:
            raise BuildError(f"{self._what}: the manifest {path} has no AMI for region(s) {', '.join(missing)}; "
                             f"it lists {', '.join(sorted(amis))}. Full log: {log_path}")
        ordered = {r: amis[r] for r in self.spec.regions}
        return BuildOutput(ordered[self.spec.region], ordered, self.spec.build_hash, self.spec.source_ami_id,
                           self.spec.ami_name)

    def _write_results(self, output: BuildOutput, log_path: Path) -> None:
        spec = self.spec
        root = Path(spec.results_root)
        if not root.is_absolute():
            root = Path(spec.project_dir) / root
        write_result(root, spec.stack, spec.pattern, spec.level, "build", {
            "schemaVersion": 1, "kind": "build", "stack": spec.stack, "pattern": spec.pattern, "level": spec.level,
            "benchmark": spec.benchmark, "sourceAmiId": spec.source_ami_id, "amiId": output.ami_id,
            "amis": [{"region": r, "amiId": a} for r, a in output.amis.items()], "buildHash": spec.build_hash,
            "hardeningScriptSha256": spec.script_sha256, "logPath": str(log_path),
            "generatedAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        })
        audit_after = spec.build_dir / "audit-after.json"
        write_result(root, spec.stack, spec.pattern, spec.level, "audit", load_audit(audit_after))


def gate(build_dir: Path) -> int:
    """Judge the build folder's two audits against the profile its cis-harden.sh renders (hardened_eks/ami_build/
    gate.py). Exit 0 only when both account for that profile and nothing regressed or fails; anything that
    cannot be read or does not match raises BuildError or ResultInvalid with one line saying why."""
    from hardened_eks.ami_build.gate import expected_profile
    from hardened_eks.jsonfile import JsonFileError, read_json, read_text

    try:
        document = read_json(build_dir / "spec.json")
        if not isinstance(document, dict):
            raise BuildError(f"gate: {build_dir / 'spec.json'} is not a build spec (a JSON object)")
        spec = BuildSpec.from_json(json.dumps(document))
        script = read_text(build_dir / "cis-harden.sh")
    except FileNotFoundError as error:
        raise BuildError(f"gate: {error.filename} is missing; the build folder is incomplete") from None
    except (JsonFileError, TypeError, KeyError) as error:
        raise BuildError(f"gate: {build_dir / 'spec.json'}: {error}" if not isinstance(error, JsonFileError)
                         else f"gate: {error}") from None
    if sha256(script) != spec.script_sha256:
        raise BuildError(f"gate: {build_dir / 'cis-harden.sh'} is not the script this build planned (sha256 "
                         f"{sha256(script)[:16]}, planned {spec.script_sha256[:16]})")
    before, after = load_audit(build_dir / "audit-before.json"), load_audit(build_dir / "audit-after.json")
    if sha256(spec.script_text()) != spec.script_sha256:
        raise BuildError("gate: hardening/ renders another script now than the one this build ran; the gate cannot "
                         "tell what the audits must contain. Run `pulumi up` again")
    profile = expected_profile(spec.benchmark, spec.level, spec.excluded, spec.ip_family, script)
    result = evaluate(before, after, profile)
    print(result.summary(), file=sys.stderr)
    return 0 if result.passed else 1


def _previous(stdout: str | None) -> BuildOutput | None:
    if not stdout or not stdout.strip():
        return None
    try:
        return BuildOutput.parse(stdout)
    except (ValueError, KeyError):
        return None

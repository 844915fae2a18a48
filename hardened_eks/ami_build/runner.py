"""Run one AMI build with Packer, and remove AMIs when the stack no longer wants them.

Pulumi runs these through a pulumi-command Command that has no `triggers`, so a change of its inputs
(the spec, and with it the build hash) runs `update`; it is never a replacement:
- create: sweep what an interrupted run of this very build left (builder instance, temporary key pair,
  snapshots no AMI uses), check the Marketplace subscription (method 2), render the var file, `packer init`
  (one at a time), `packer build`; stream Packer's progress to stderr (and build.log), read the manifest,
  write the build and audit results, print BuildOutput as JSON on stdout. A failed build removes whatever
  it had registered.
- update: the build hash changed: build (or reuse the retained AMI of exactly that build), then prune;
  unchanged: print the previous output and prune. Pruning keeps the current AMI, the newest others up to
  the retention count, and every AMI still in use (an instance, a launch template, the SSM parameter).
- delete: remove only what this resource produced: its AMIs per region from its previous stdout and what
  a failed run of the same build left. When the stack's SSM parameter of this (pattern, level) is gone
  too, the (pattern, level) itself is being destroyed and its retained AMIs go as well. Nothing in use
  is removed; what stays is named.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from hardened_eks import tags
from hardened_eks.ami_build import images
from hardened_eks.ami_build.gate import evaluate, load_audit
from hardened_eks.ami_build.spec import (
    BUILDER_ENV,
    PROJECT_DIR,
    REMOTE_WORK_DIR,
    ROOT_DEVICE_NAME,
    ROOT_VOLUME_GIB,
    SHELL_REMOTE_FOLDER,
    SSH_USERNAME,
    TEMPLATE_DIR,
    BuildOutput,
    BuildSpec,
    DeletionScope,
    ami_name_prefix,
    in_project,
    sha256,
)
from hardened_eks.preflight import packer_problem
from hardened_eks.results import write_result

LOG_TAIL_LINES = 40
PACKER_ENV = "HARDENED_EKS_PACKER"  # path of the packer executable; default: `packer` on PATH
# Packer gets this long to clean up (terminate the builder, delete its key pair and half-made AMIs)
# after it was asked to stop.
PACKER_STOP_GRACE_SECONDS = 15 * 60
FOLLOW_INTERVAL_SECONDS = 0.5
PACKER_PID_FILE = "packer.pid"  # in the build folder while Packer runs


class BuildError(Exception):
    """A build that cannot start or did not produce an AMI; the message is for the user."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Runner:
    spec: BuildSpec
    ec2_for: images.Ec2Factory = images.default_ec2
    ssm_for: images.SsmFactory = images.default_ssm
    template_dir: Path = TEMPLATE_DIR
    say: Callable[[str], None] = log
    sleep: Callable[[float], None] = time.sleep

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
        self._wait_for_interrupted_packer()
        self._sweep()
        self._check_subscription()
        log_path = build_dir / "build.log"
        log_path.write_text("")
        env = {**os.environ, "PACKER_LOG": "1", "PACKER_LOG_PATH": str(build_dir / "packer-debug.log"),
               "CHECKPOINT_DISABLE": "1"}
        with _packer_init_lock():
            self._run([packer, "init", str(self.template_dir)], env, log_path)
        self._run([packer, "build", "-color=false", f"-only=amazon-ebs.{spec.method}",
                   f"-var-file={var_file}", str(self.template_dir)], env, log_path)
        try:
            output = self._read_manifest(build_dir / "manifest.json", log_path)
        except BuildError as error:
            raise BuildError(f"{error}{self._remove_half_made()}") from None
        self._write_results(output, log_path)
        return output

    def packer_variables(self) -> dict:
        spec = self.spec
        build_tags = {tags.BUILD_HASH: spec.build_hash}
        ami_tags = {**spec.ami_tags, **build_tags, "Name": spec.ami_name}
        # The gate runs on this machine with this interpreter and checkout: neither is stored anywhere.
        gate = (f"cd {shlex.quote(str(PROJECT_DIR))} && {shlex.quote(sys.executable)} -m hardened_eks.ami_build gate "
                f"{shlex.quote(str(spec.build_dir))}")
        return {
            "region": spec.region, "source_ami_id": spec.source_ami_id, "instance_type": spec.instance_type,
            "subnet_id": spec.subnet_id, "security_group_id": spec.security_group_id,
            "iam_instance_profile": spec.instance_profile, "kms_key_id": spec.kms_key_id,
            "region_kms_key_ids": dict(spec.region_kms_key_ids), "ami_regions": list(spec.ami_regions),
            "ami_users": list(spec.share_accounts), "ami_name": spec.ami_name,
            "ami_description": f"hardened-eks {spec.pattern} CIS {spec.benchmark} {spec.benchmark_version} "
                               f"level {spec.level}, Kubernetes {spec.kubernetes_version}",
            "ami_tags": ami_tags,
            "run_tags": {**spec.run_tags, **build_tags, "Name": f"{spec.ami_name}-builder"},
            "temporary_key_pair_name": spec.key_pair_name,
            "root_device_name": ROOT_DEVICE_NAME, "volume_size": ROOT_VOLUME_GIB, "ssh_username": SSH_USERNAME,
            "remote_work_dir": REMOTE_WORK_DIR, "shell_remote_folder": SHELL_REMOTE_FOLDER,
            "hardening_script": str(spec.build_dir / "cis-harden.sh"), "build_dir": str(spec.build_dir),
            "gate_command": gate, "cis_level": spec.level, "os_family": spec.os_family,
            "kubernetes_version": spec.kubernetes_version, "eks_ami_release": spec.eks_ami_release,
            "eks_binaries": spec.eks_binaries, "build_hash": spec.build_hash,
            "partition_volumes": [{"device_name": v.device, "volume_size": v.size_gib} for v in spec.volumes],
            "volume_arguments": spec.volume_arguments(),
            "partition_controls": " ".join(v.control for v in spec.volumes),
            "hardening_settings": spec.settings_arguments(),
            "site_controls": " ".join(spec.site_controls),
            "eks_install_controls": " ".join(spec.eks_install_controls),
        }

    # -- update ----------------------------------------------------------------------------------
    def update(self, previous_stdout: str | None) -> BuildOutput:
        previous = _previous(previous_stdout)
        if previous and previous.build_hash == self.spec.build_hash and self._still_there(previous):
            self.say(f"{self._what}: inputs of the image unchanged (build {self.spec.build_hash[:16]}); no rebuild")
            output = previous
        else:
            output = self.create()
        regions = set(self.spec.regions) | set(previous.amis if previous else ())
        removal = images.prune(self.ec2_for, regions, self.spec.stack, self.spec.pattern, self.spec.level,
                               self.spec.retention, self.say, current=output.amis.values(), sleep=self.sleep,
                               name_prefix=ami_name_prefix(self.spec.stack, self.spec.pattern, self.spec.level))
        if removal.errors:
            # The new image is built and current; a prune that failed is retried by the next update or delete.
            self.say(f"{self._what}: pruning old AMIs did not finish: {'; '.join(removal.errors)}")
        return output

    # -- internals -----------------------------------------------------------------------------
    @property
    def _what(self) -> str:
        return f"AMI build {self.spec.pattern} level {self.spec.level}"

    def _packer(self) -> str:
        packer = os.environ.get(PACKER_ENV) or shutil.which("packer")
        if not packer:
            raise BuildError(f"{self._what}: no `packer` on PATH (set {PACKER_ENV} to its path); install Packer "
                             ">= 1.10 from https://developer.hashicorp.com/packer/install")
        problem = packer_problem(packer)  # the same check `make up` and the pipeline run first
        if problem:
            raise BuildError(f"{self._what}: {problem}")
        if not shutil.which("session-manager-plugin"):
            raise BuildError(f"{self._what}: the AWS Session Manager plugin (`session-manager-plugin`) is not on "
                             "PATH; Packer reaches the private builder through it. Install it: "
                             "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
                             "session-manager-working-with-install-plugin.html")
        return packer

    def _still_there(self, previous: BuildOutput) -> bool:
        found = images.images_with_ids(self.ec2_for(self.spec.region), [previous.ami_id])
        if found:
            return True
        self.say(f"{self._what}: {previous.ami_id} no longer exists; building it again")
        return False

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

    def _wait_for_interrupted_packer(self) -> None:
        """A Packer whose runner was killed is still cleaning up (it deletes the key pair of this build's name):
        let it finish before this run sweeps and starts, or it could delete the new run's key pair."""
        pid_file = self.spec.build_dir / PACKER_PID_FILE
        try:
            pid = int(pid_file.read_text())
        except (OSError, ValueError):
            pid = 0
        alive = pid > 0 and _packer_running(pid)
        deadline = time.monotonic() + PACKER_STOP_GRACE_SECONDS
        if alive:
            self.say(f"{self._what}: waiting for the Packer of an interrupted run (pid {pid}) to finish its clean-up")
        while alive and time.monotonic() < deadline:
            time.sleep(1)
            alive = _packer_running(pid)
        if alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        pid_file.unlink(missing_ok=True)

    def _sweep(self) -> None:
        """What an interrupted run of this build left: images of its name that never became available, the
        builder, its key pair, and snapshots no AMI uses."""
        self._remove_half_made()
        for region in self.spec.regions:
            ec2 = self.ec2_for(region)
            images.sweep_build_leftovers(ec2, self.spec.build_hash, self.spec.key_pair_name,
                                         lambda message, r=region: self.say(f"{r}: {message}"), self.sleep,
                                         ami_name=self.spec.ami_name)

    def _check_subscription(self) -> None:
        """Method 2 starts from a Marketplace image: a DryRun launch tells whether this account may run it,
        before an hour of Packer finds out."""
        if not self.spec.marketplace_product:
            return
        try:
            self.ec2_for(self.spec.region).run_instances(
                DryRun=True, ImageId=self.spec.source_ami_id, InstanceType=self.spec.instance_type,
                SubnetId=self.spec.subnet_id, MinCount=1, MaxCount=1)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code == "DryRunOperation":
                return
            if code == "OptInRequired":
                raise BuildError(
                    f"{self._what}: this account is not subscribed to the AWS Marketplace product "
                    f"\"{self.spec.marketplace_product}\" of {self.spec.source_ami_id}. Subscribe (AWS Marketplace "
                    "console, search for the product, Continue to Subscribe, accept the terms), then run "
                    "`pulumi up` again") from None
            raise BuildError(f"{self._what}: a dry-run launch of {self.spec.source_ami_id} ({self.spec.instance_type}) "
                             f"was refused: {code}: {error.response.get('Error', {}).get('Message', '')}") from None

    def _run(self, argv: list[str], env: dict, log_path: Path) -> None:
        """Run Packer with its output in the log file (never a pipe: a dead reader must not kill Packer before
        its clean-up), in its own process group; SIGTERM reaches it when this runner is stopped or dies."""
        self.say(f"{self._what}: {' '.join(shlex.quote(a) for a in argv)}")
        tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)
        with log_path.open("a") as log_file:
            start = log_file.tell()
            try:
                process = subprocess.Popen(argv, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                           env=env, cwd=self.spec.build_dir, start_new_session=True,
                                           preexec_fn=_terminate_with_parent(os.getpid()))
            except OSError as error:
                raise BuildError(f"{self._what}: cannot run {argv[0]}: {error}") from None
        pid_file = self.spec.build_dir / PACKER_PID_FILE
        pid_file.write_text(f"{process.pid}\n")
        stopped_by: list[int] = []
        with _forward_stop_signals(process, stopped_by), log_path.open() as reader:
            reader.seek(start)
            status = self._follow(process, reader, tail)
        pid_file.unlink(missing_ok=True)
        if stopped_by:
            raise BuildError(f"{self._what}: stopped by signal {signal.Signals(stopped_by[0]).name}; Packer was "
                             f"asked to clean up and exited with status {status}{self._remove_half_made()}")
        if status != 0:
            raise BuildError(f"{self._what} failed: `packer {argv[1]}` exited with status {status}"
                             f"{self._remove_half_made()}.\n"
                             f"Last {len(tail)} lines of the Packer log:\n" + "\n".join(f"  {t}" for t in tail)
                             + f"\nFull log: {log_path} (Packer debug log: {log_path.parent / 'packer-debug.log'})")

    def _follow(self, process: subprocess.Popen, reader, tail: deque[str]) -> int:
        pending = ""
        while True:
            status = process.poll()
            chunk = reader.read()
            if chunk:
                pending += chunk
                *lines, pending = pending.split("\n")
                for line in lines:
                    tail.append(line)
                    self.say(line)
            if status is not None:
                if pending:
                    tail.append(pending)
                    self.say(pending)
                return status
            time.sleep(FOLLOW_INTERVAL_SECONDS)

    def _remove_half_made(self) -> str:
        """Deregister whatever image of this build's name exists, in every region; say what went."""
        candidates = {region: images.images_named(self.ec2_for(region), self.spec.ami_name)
                      for region in self.spec.regions}
        removal = images.remove_unless_in_use(self.ec2_for, candidates, self.say, sleep=self.sleep)
        return f"; removed the half-made AMI(s) {', '.join(removal.removed)}" if removal.removed else ""

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
        root = spec.results_dir
        write_result(root, spec.stack, spec.pattern, spec.level, "build", {
            "schemaVersion": 1, "kind": "build", "stack": spec.stack, "pattern": spec.pattern, "level": spec.level,
            "benchmark": spec.benchmark, "sourceAmiId": spec.source_ami_id, "amiId": output.ami_id,
            "amis": [{"region": r, "amiId": a} for r, a in output.amis.items()], "buildHash": spec.build_hash,
            "hardeningScriptSha256": spec.script_sha256, "logPath": str(log_path),
            "generatedAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        })
        audit_after = spec.build_dir / "audit-after.json"
        write_result(root, spec.stack, spec.pattern, spec.level, "audit", load_audit(audit_after))


def delete(scope: DeletionScope, previous_stdout: str | None, ec2_for: images.Ec2Factory = images.default_ec2,
           ssm_for: images.SsmFactory = images.default_ssm, say: Callable[[str], None] = log,
           sleep: Callable[[float], None] = time.sleep) -> images.Removal:
    """Remove what one build resource produced (see the module docstring); raise BuildError, after trying
    every region, when any region could not be cleaned."""
    what = f"AMI build {scope.pattern} level {scope.level}"
    previous = _previous(previous_stdout)
    regions = sorted(set(scope.regions) | set(previous.amis if previous else ()))
    current = images.current_ami(ssm_for(scope.region), scope.parameter_name)
    # The AMI the stack now calls current, and its copies (same name), belong to the resource that replaced
    # this one: a replacement that reused this very build must not lose its image.
    current_names = set()
    if current:
        current_names = {i.get("Name") for i in images.images_with_ids(ec2_for(scope.region), [current])}
    result = images.Removal()
    candidates: dict[str, list[dict]] = {}
    for region in regions:
        try:
            ec2 = ec2_for(region)
            own = [previous.amis[region]] if previous and region in previous.amis else []
            found = {i["ImageId"]: i for i in images.images_with_ids(ec2, own)}
            if scope.build_hash:
                found.update({i["ImageId"]: i for i in images.images_named(ec2, scope.ami_name)})
            if current is None:  # destroy: retained builds and any temporary image Packer left, all tagged so
                found.update({i["ImageId"]: i for i in images.images_of(ec2, scope.stack, scope.pattern, scope.level)})
            candidates[region] = []
            for image in found.values():
                if image.get("Name") in current_names:
                    result.kept[image["ImageId"]] = f"it is (a copy of) the current AMI {current}"
                else:
                    candidates[region].append(image)
        except (ClientError, BotoCoreError) as error:
            result.errors.append(f"{region}: {error}")
    result.merge(images.remove_unless_in_use(ec2_for, candidates, say, [current] if current else (), sleep))
    if scope.build_hash:
        for region in regions:
            try:
                images.sweep_build_leftovers(ec2_for(region), scope.build_hash, scope.key_pair_name,
                                             lambda message, r=region: say(f"{r}: {message}"), sleep,
                                             ami_name=scope.ami_name)
            except (ClientError, BotoCoreError) as error:
                result.errors.append(f"{region}: {error}")
    for image_id, why in sorted(result.kept.items()):
        say(f"{what}: kept {image_id}: {why}")
    say(f"{what}: removed {len(result.removed)} AMI(s) in {', '.join(regions)}")
    if result.errors:
        raise BuildError(f"{what}: could not clean up every region ({'; '.join(result.errors)}); what could be "
                         "removed was removed: run `pulumi destroy` (or `up`) again")
    return result


def _packer_running(pid: int) -> bool:
    """A live (not exited, not a zombie) process whose command line names packer."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return b"packer" in command and state != "Z"


@contextlib.contextmanager
def _packer_init_lock() -> Iterator[None]:
    """`packer init` writes the plugin binary in place, with no lock of its own: builds running side by side
    take turns, and the second finds the plugin installed and writes nothing."""
    lock_path = in_project("build") / "packer-init.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _terminate_with_parent(parent_pid: int) -> Callable[[], None]:
    """A preexec function: the kernel sends Packer SIGTERM when this runner dies (pulumi-command kills it with
    SIGKILL on cancel or timeout, which no handler sees), so Packer still runs its clean-up."""

    def arrange() -> None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)
        if os.getppid() != parent_pid:  # the runner died before the request took hold
            os.kill(os.getpid(), signal.SIGTERM)

    return arrange


@contextlib.contextmanager
def _forward_stop_signals(process: subprocess.Popen, stopped_by: list[int]) -> Iterator[None]:
    """SIGTERM, SIGINT or SIGHUP to this runner become SIGTERM to Packer's process group; the runner then
    waits (bounded) for Packer's clean-up instead of dying first."""

    def forward(signum, _frame) -> None:
        if not stopped_by:
            stopped_by.append(signum)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            deadline = time.monotonic() + PACKER_STOP_GRACE_SECONDS

            def give_up(*_args) -> None:
                if time.monotonic() > deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)

            signal.signal(signal.SIGALRM, give_up)
            signal.setitimer(signal.ITIMER_REAL, 5, 5)

    stop_signals = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    before = {s: signal.signal(s, forward) for s in stop_signals}
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for s, handler in before.items():
            signal.signal(s, handler)


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

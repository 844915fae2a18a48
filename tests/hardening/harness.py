"""Run the real rendered hardening script against fixture roots modelled on an AL2023 EKS node."""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from hardening.render import render

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SCENARIOS = HERE / "scenarios"
BASH = shutil.which("bash") or "/bin/bash"
if shutil.which("gawk") is None:  # the rendered scripts call gawk, as on Amazon Linux
    # Every module that imports the harness runs rendered scripts or shapes roots for them: skip it, saying why.
    pytest.skip("gawk (GNU awk) is not installed: the rendered hardening scripts call it, as on Amazon Linux; "
                "`make deps` installs it on Debian, elsewhere install GNU awk", allow_module_level=True)

# Git keeps only the executable bit: modes that matter are set here.
FIXTURE_MODES = {
    "al2023-eks-node": {
        "boot/grub2/grub.cfg": 0o644,
        "boot/grub2/grubenv": 0o644,
        "etc/motd": 0o644,
        "etc/issue": 0o644,
        "etc/issue.net": 0o644,
        "tmp": 0o1777,
        "var/tmp": 0o1777,
        # section 4 (as on a stock AL2023 node)
        "etc/shadow": 0o000,
        "etc/sudoers": 0o440,
        "etc/ssh/sshd_config": 0o600,
        "etc/ssh/sshd_config.d/50-redhat.conf": 0o600,
        "etc/ssh/ssh_host_ecdsa_key": 0o600,
        "etc/ssh/ssh_host_ed25519_key": 0o600,
        "etc/crontab": 0o644,
        "usr/bin/sudo": 0o4111,
        # section 5 (as on a stock AL2023 EKS node; dnf.log is 0644 there, which 5.1.3 flags)
        "etc/audit/auditd.conf": 0o640,
        "etc/audit/audit.rules": 0o640,
        "etc/audit/audit-stop.rules": 0o640,
        "etc/audit/rules.d/audit.rules": 0o600,
        "etc/audit/plugins.d/af_unix.conf": 0o640,
        "var/log/audit": 0o700,
        "var/log/audit/audit.log": 0o600,
        "var/log/cloud-init.log": 0o640,
        "var/log/lastlog": 0o664,
        "var/log/wtmp": 0o664,
        "var/log/btmp": 0o600,
        "var/log/journal/ec2fbd5cb62dd2e4bdb7a7f3a4b6a1f4/system.journal": 0o640,
        "var/log/pods/kube-system_aws-node-x7k2p_3f1c/aws-node/0.log": 0o640,
    },
    "al2-eks-node": {
        "boot/grub2/grub.cfg": 0o644,
        "boot/grub2/grubenv": 0o644,
        "etc/issue": 0o644,
        "etc/issue.net": 0o644,
        "tmp": 0o1777,
        "var/tmp": 0o1777,
        "etc/shadow": 0o000,
        "etc/gshadow": 0o000,
        "etc/sudoers": 0o440,
        "etc/ssh/sshd_config": 0o600,
        "etc/ssh/ssh_host_rsa_key": 0o600,
        "etc/ssh/ssh_host_ecdsa_key": 0o600,
        "etc/ssh/ssh_host_ed25519_key": 0o600,
        "etc/crontab": 0o644,
        "etc/cron.deny": 0o600,
        "etc/sudoers.d/90-cloud-init-users": 0o440,
        "usr/bin/sudo": 0o4111,
        # section 5 (as on a stock AL2 node)
        "etc/audit/auditd.conf": 0o640,
        "etc/audit/rules.d/audit.rules": 0o600,
        "var/log/audit": 0o700,
        "var/log/audit/audit.log": 0o600,
        "var/log/messages": 0o600,
        "var/log/secure": 0o600,
        "var/log/cron": 0o600,
        "var/log/wtmp": 0o664,
        "var/log/lastlog": 0o644,
    },
}
# The fixture root each benchmark's scenarios start from.
BENCHMARK_FIXTURE = {"al2023": "al2023-eks-node", "al2": "al2-eks-node"}


@cache
def script_path(benchmark: str, level: int, ip_family: str = "ipv4", excluded: tuple[str, ...] = ()) -> Path:
    """Render once per profile per test process (parallel-safe: one directory per process)."""
    out_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"he-scripts-{os.getpid()}"
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"{benchmark}-l{level}-{ip_family}-{'-'.join(excluded) or 'all'}.sh"
    path = out_dir / name
    path.write_text(render(benchmark, level, excluded, ip_family, allow_unimplemented=True))
    return path


def _shape_fixture(root: Path, fixture: str) -> Path:
    for rel, mode in FIXTURE_MODES.get(fixture, {}).items():
        os.chmod(root / rel, mode)
    for keep in root.rglob(".keep"):
        keep.unlink()
    return root


@cache
def _template(fixture: str) -> Path | None:
    """The fixture root with its modes set, once per test process; make_root copies it with `cp -a` (GNU cp: one
    process, a reflink where the file system has them). None where GNU cp is missing (make_root then copies the
    fixture itself)."""
    base = Path(tempfile.mkdtemp(prefix=f"he-template-{os.getpid()}-"))
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    template = _shape_fixture(Path(shutil.copytree(FIXTURES / fixture, base / fixture, symlinks=True)), fixture)
    probe = subprocess.run(["cp", "-a", "--reflink=auto", str(template), str(base / "probe")], capture_output=True)
    if probe.returncode or tree_digest(base / "probe") != tree_digest(template):
        return None
    shutil.rmtree(base / "probe")
    return template


def make_root(dest: Path, fixture: str = "al2023-eks-node") -> Path:
    """A fresh copy of FIXTURE at DEST/root: content, modes, times and links as the fixture has them."""
    root = dest / "root"
    template = _template(fixture)
    if template is None:
        shutil.copytree(FIXTURES / fixture, root, symlinks=True)
        return _shape_fixture(root, fixture)
    dest.mkdir(parents=True, exist_ok=True)
    if root.exists() or root.is_symlink():
        raise FileExistsError(root)  # as copytree: never copy into an existing directory
    subprocess.run(["cp", "-a", "--reflink=auto", str(template), str(root)], check=True, capture_output=True)
    return root


# A node on which Session Manager has been used: the SSM agent created ssm-user and its NOPASSWD sudoers file.
SSM_USER = ("ssm-user:x:1001:1001::/home/ssm-user:/bin/bash", "ssm-user:!!:19900:0:99999:7:::",
            "ssm-user:x:1001:")
SSM_SUDOERS = "ssm-user ALL=(ALL) NOPASSWD:ALL\n"


def add_ssm_user(root: Path) -> Path:
    for rel, line in zip(("etc/passwd", "etc/shadow", "etc/group"), SSM_USER, strict=True):
        with (root / rel).open("a") as f:
            f.write(line + "\n")
    (root / "etc/sudoers.d/ssm-agent-users").write_text(SSM_SUDOERS)
    (root / "etc/sudoers.d/ssm-agent-users").chmod(0o440)
    return root


def run_functions(script: Path, root: Path, commands: str) -> str:
    """Run COMMANDS with the rendered script's functions loaded (its last line, `he_main "$@"`, dropped) and HE_ROOT
    set to ROOT; returns stdout. For testing one library function on its own."""
    program = f"set -Eeuo pipefail; source <(sed '$d' {script}); HE_ROOT={root}; {commands}"
    return subprocess.run([BASH, "-c", program], capture_output=True, text=True, check=True, timeout=120).stdout


def run(script: Path, *args: str, check_rc: tuple[int, ...] = (0, 1)) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C", "TMPDIR": os.environ.get("TMPDIR", "/tmp")}
    proc = subprocess.run([BASH, str(script), *args], capture_output=True, text=True, env=env, timeout=120)
    if proc.returncode not in check_rc:
        raise AssertionError(f"{script.name} {' '.join(args)} exited {proc.returncode}\n"
                             f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}")
    return proc


def audit(script: Path, root: Path, *only: str) -> dict[str, dict]:
    """Audit (JSON) and return controls by id."""
    args = ["audit", "--root", str(root), "--json"]
    for cid in only:
        args += ["--only", cid]
    proc = run(script, *args)
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as err:
        raise AssertionError(f"audit printed no JSON (exit {proc.returncode}): {proc.stderr[-2000:]}") from err
    return {c["id"]: c for c in doc["controls"]}


def apply(script: Path, root: Path, *only: str) -> dict[str, tuple[str, str]]:
    """Apply and return {id: (status, detail)} parsed from the `<id> | PATCH | ...` lines."""
    args = ["apply", "--root", str(root)]
    for cid in only:
        args += ["--only", cid]
    out = run(script, *args, check_rc=(0, 1)).stdout
    result = {}
    for line in out.splitlines():
        parts = line.split(" | ")
        if len(parts) >= 6 and parts[1] == "PATCH":
            result[parts[0]] = (parts[4], " | ".join(parts[5:]))
    return result


def tree_digest(root: Path) -> str:
    """Content, type, mode, owner and link target of every entry (not times)."""
    h = hashlib.sha256()
    top = os.fspath(root)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, top)
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            rel = name if rel_dir == "." else os.path.join(rel_dir, name)
            h.update(f"{rel}\0{st.st_mode:o}\0{st.st_uid}\0{st.st_gid}\0".encode())
            if stat.S_ISLNK(st.st_mode):
                h.update(os.readlink(path).encode())
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    h.update(hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()


@dataclass(frozen=True)
class Scenario:
    path: Path
    benchmark: str
    control: str
    expect: str  # audit status expected after the scenario
    after_apply: str  # "pass" (fixed) or "deferred"
    level: int
    ip_family: str

    @property
    def id(self) -> str:
        return f"{self.benchmark}:{self.control}:{self.path.name}"


_HEADER = re.compile(r"^#\s*(expect|apply|level|ip-family):\s*(\S+)\s*$", re.M)


def scenarios(benchmark: str | None = None) -> list[Scenario]:
    """tests/hardening/scenarios/<benchmark>/section_<n>/<id>/<what>.<pass|fail>.sh"""
    found = []
    for path in sorted(SCENARIOS.glob("*/section_*/*/*.sh")):
        bench = path.parts[-4]
        if benchmark and bench != benchmark:
            continue
        m = re.match(r".*\.(pass|fail)\.sh$", path.name)
        if not m:
            raise AssertionError(f"{path}: scenario names end in .pass.sh or .fail.sh")
        headers = dict(_HEADER.findall(path.read_text()))
        found.append(Scenario(path=path, benchmark=bench, control=path.parent.name,
                              expect=headers.get("expect", m.group(1)), after_apply=headers.get("apply", "pass"),
                              level=int(headers.get("level", 2)), ip_family=headers.get("ip-family", "ipv4")))
    return found


def shape(root: Path, scenario_path: Path) -> None:
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "ROOT": str(root)}
    proc = subprocess.run([BASH, "-euo", "pipefail", str(scenario_path)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)
    if proc.returncode:
        raise AssertionError(f"scenario {scenario_path} failed: {proc.stderr}")

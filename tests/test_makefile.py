"""The Makefile as a user drives it: `make help` lists every target, `make deps` on a machine without apt-get
names what it cannot check and goes on, `make up` asks on a terminal and only there.

Each test runs the real `make` (and for `up` the real preflight) with fake CLIs on PATH; the fake `pulumi` records
its arguments. Whether Pulumi itself then shows the preview and prompts is the Pulumi CLI's behaviour without
`--yes`, which is not installed here.
"""

from __future__ import annotations

import os
import pty
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")
# Never rebuild the virtualenv from a test (that would reach PyPI).
NO_VENV = ["-o", ".venv/.installed"]


def make(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MAKE, "--no-print-directory", *NO_VENV, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env, **kwargs)


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    targets = set()
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z][\w .-]*?):(?!=)", line)
        if match and not line.startswith("\t"):
            targets.update(name for name in match.group(1).split() if "/" not in name and "$" not in name)
    phony = re.search(r"^\.PHONY:(.*)$", text, re.MULTILINE)
    assert phony, "Makefile has no .PHONY line"
    targets.update(phony.group(1).split())
    return targets


def test_help_lists_every_target():
    done = make("help")
    assert done.returncode == 0, done.stderr
    listed = set(re.findall(r"^make (\S+)", done.stdout, re.MULTILINE))
    targets = makefile_targets()
    assert {"test", "plan", "up", "destroy", "help", "deps"} <= targets
    assert targets - listed == set(), f"targets missing from `make help`: {sorted(targets - listed)}"
    assert listed - targets == set(), f"`make help` lists targets that do not exist: {sorted(listed - targets)}"


def restricted_path(tmp_path: Path, leave_out: set[str]) -> str:
    """A PATH with every command of this machine except `leave_out` (as on a Mac or Fedora without them)."""
    bin_dir = tmp_path / "path"
    bin_dir.mkdir()
    for directory in [*os.environ["PATH"].split(os.pathsep), "/usr/sbin", "/sbin"]:
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            if name in leave_out or name.startswith(("dpkg", "apt", "iptables", "ip6tables", "xtables")):
                continue
            link = bin_dir / name
            if not link.exists() and not link.is_symlink():
                link.symlink_to(os.path.join(directory, name))
    return str(bin_dir)


def test_deps_without_apt_get_names_the_checks_it_cannot_run_and_succeeds(tmp_path):
    path = restricted_path(tmp_path, {"packer", "gawk", "awk", "apt-get", "dpkg"})
    done = make("deps", env={**os.environ, "PATH": path})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "deps: no apt-get here (not Debian or Ubuntu): nothing installed"
    assert any(line.startswith("deps: packer missing: skipping the Packer template validation") for line in lines)
    assert any(line.startswith("deps: iptables missing: skipping loading the Bottlerocket firewall") for line in lines)
    assert any(line.startswith("deps: gawk missing: skipping running the rendered hardening scripts") for line in lines)


def test_deps_is_silent_when_everything_is_there(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("packer", "iptables", "gawk", "sshd"):
        fake = bin_dir / tool
        fake.write_text("#!/bin/sh\nexit 0\n")
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    path = restricted_path(tmp_path, {"apt-get", "dpkg", "packer", "gawk"})
    done = make("deps", env={**os.environ, "PATH": f"{bin_dir}:{path}"})
    assert done.returncode == 0 and done.stdout == "", done.stdout


# --- make up: confirmation --------------------------------------------------------------------------------------

def fake_clis(tmp_path: Path) -> tuple[dict[str, str], Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "pulumi-calls"
    scripts = {
        "pulumi": f'#!/bin/sh\necho "$*" >> "{record}"\n',
        "packer": "#!/bin/sh\necho 'Packer v1.11.2'\n",
        **{tool: "#!/bin/sh\nexit 0\n" for tool in ("aws", "kubectl", "session-manager-plugin")},
    }
    for name, text in scripts.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in ("CI", "YES", "PULUMI_BACKEND_URL")}
    env.update(PATH=f"{bin_dir}:{os.environ['PATH']}", PULUMI_BACKEND_URL="file:///tmp/hardened-eks-test-state",
               PULUMI_CONFIG_PASSPHRASE="test",
               AWS_ACCESS_KEY_ID="AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY="secret", AWS_CONFIG_FILE="/dev/null",
               HOME=str(tmp_path))
    return env, record


def up_command(record: Path) -> list[str]:
    calls = record.read_text().splitlines() if record.exists() else []
    return [call for call in calls if call.startswith("up ")]


def make_on_a_terminal(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run make with its stdin, stdout and stderr on a pseudo-terminal, as from an interactive shell."""
    primary, secondary = pty.openpty()
    with subprocess.Popen([MAKE, "--no-print-directory", *NO_VENV, *args], cwd=ROOT, env=env, stdin=secondary,
                          stdout=secondary, stderr=secondary) as process:
        os.close(secondary)
        output = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        code = process.wait(timeout=120)
    os.close(primary)
    return code, output.decode(errors="replace")


def test_up_on_a_terminal_leaves_the_confirmation_to_pulumi(tmp_path):
    env, record = fake_clis(tmp_path)
    code, output = make_on_a_terminal("up", "STACK=dev", env=env)
    assert code == 0, output
    (up,) = up_command(record)
    assert up.startswith("up --stack dev") and "--yes" not in up.split()


@pytest.mark.parametrize("how", [["YES=1"], ["CI=true"]], ids=["YES=1", "CI"])
def test_yes_or_ci_deploys_without_asking(tmp_path, how):
    env, record = fake_clis(tmp_path)
    if how == ["CI=true"]:
        env["CI"] = "true"
        how = []
    code, output = make_on_a_terminal("up", "STACK=dev", *how, env=env)
    assert code == 0, output
    (up,) = up_command(record)
    assert "--yes" in up.split()


def test_up_without_a_terminal_and_without_yes_stops_in_one_line(tmp_path):
    env, record = fake_clis(tmp_path)
    done = make("up", "STACK=dev", env=env, stdin=subprocess.DEVNULL)
    assert done.returncode != 0
    assert "up: stdin is not a terminal, so nobody can confirm the preview: run `make up YES=1`" in done.stderr
    assert up_command(record) == []

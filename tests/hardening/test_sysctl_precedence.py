"""sysctl precedence (issue 18, section 2), played against the real readers where this machine has them.

- systemd-sysctl: `systemd-analyze cat-config sysctl.d --root=ROOT` (Debian's systemd) lists the files systemd-sysctl
  reads, in its order; it cannot apply them to a root, so the values are computed from those files with the
  documented rules (sysctl.d(5): the last assignment wins, an explicit key beats a glob, "-key" excludes a key
  from globs).
- procps `sysctl --system`: Debian's procps-ng 4.0.2 cannot be pointed at a root, so it runs with `--dry-run` in a
  chroot holding only the binary, its libraries, the root's sysctl files and the host's /proc (in a private mount
  namespace): it prints the files in its order ("* Applying ...", /etc/sysctl.conf last) and every value it would
  write. Its source (procps-ng src/sysctl.c, PreloadSystem) reads /etc/sysctl.d, /run/sysctl.d,
  /usr/local/lib/sysctl.d, /usr/lib/sysctl.d, /lib/sysctl.d (first name wins), sorted by name, then /etc/sysctl.conf
  when it is a regular file. Amazon Linux 2's 3.3.10 lists /run before /etc (changed in 3.3.17, "sysctl: Match
  systemd directory order"); that order cannot be run here and is covered by the AL2 scenario
  `1.4.2/run-read-before-etc-by-procps-3.3.10.fail.sh`.
- A file-grepping audit (Inspector's CIS scan, OpenSCAP): no active line in any file a reader reads may assign
  another value.
"""

from __future__ import annotations

import fnmatch
import os
import random
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.hardening.harness import apply, audit, make_root, run, run_functions, script_path, tree_digest

SEP = "\x1f"
SYSCTL_DIRS = ("etc/sysctl.d", "run/sysctl.d", "usr/local/lib/sysctl.d", "usr/lib/sysctl.d")


# ---- the real readers ------------------------------------------------------------------------------------------

def systemd_files(root: Path) -> list[Path]:
    """The files systemd-sysctl reads, in its order, from systemd itself (masked entries left out)."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian: systemd)")
    proc = subprocess.run(["systemd-analyze", "cat-config", "sysctl.d", f"--root={root}", "--no-pager"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    headers = re.findall(rf"^# ({re.escape(str(root))}/\S+)$", proc.stdout, re.M)
    return [Path(os.path.realpath(h)) for h in headers if os.path.realpath(h) != "/dev/null"]


def _normkey(key: str) -> str:
    first = re.search(r"[./]", key)
    if first and first.group() == "/":
        key = key.replace(".", "\0").replace("/", ".").replace("\0", "/")
    return key


def evaluate(files: list[Path], key: str) -> str | None:
    """sysctl.d(5) semantics over files in reading order."""
    explicit = glob = None
    excluded = False
    for f in files:
        for raw in f.read_text().splitlines():
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            dash = line.startswith("-")
            line = line[1:] if dash else line
            if "=" not in line:
                excluded |= dash and _normkey(line) == key
                continue
            k, v = (p.strip() for p in line.split("=", 1))
            k, v = _normkey(k), " ".join(v.split())
            if k == key:
                explicit = v
            elif any(c in k for c in "*?[") and fnmatch.fnmatchcase(key, k):
                glob = v
    return explicit if explicit is not None else (None if excluded else glob)


def _libraries(binary: str) -> list[str]:
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    return [w for w in out.split() if w.startswith("/")]


def procps_system(root: Path, tmp: Path) -> tuple[list[Path], dict[str, str]]:
    """Real procps `sysctl --dry-run --system` over ROOT's sysctl files: (files in its order as paths under ROOT,
    last value it would write per key). Keys the host kernel lacks are skipped by procps itself."""
    sysctl = shutil.which("sysctl") or "/usr/sbin/sysctl"
    if not Path(sysctl).exists() or shutil.which("unshare") is None:
        pytest.skip("procps sysctl or unshare is not installed")
    box = tmp / "procps-box"
    shutil.rmtree(box, ignore_errors=True)
    for need in ("proc", "usr/sbin"):
        (box / need).mkdir(parents=True)
    shutil.copy2(sysctl, box / "usr/sbin/sysctl")
    for lib in _libraries(sysctl):
        (box / lib.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(lib, box / lib.lstrip("/"))
    for d in SYSCTL_DIRS:
        if (root / d).is_dir():
            shutil.copytree(root / d, box / d, symlinks=True)
    if not (root / "lib").is_symlink() and (root / "lib/sysctl.d").is_dir():
        shutil.copytree(root / "lib/sysctl.d", box / "lib/sysctl.d", symlinks=True)
    if (root / "etc/sysctl.conf").exists():
        shutil.copy2(root / "etc/sysctl.conf", box / "etc/sysctl.conf")
    proc = subprocess.run(["unshare", "-m", "--", "sh", "-c",
                           'mount --rbind /proc "$1/proc" && exec chroot "$1" /usr/sbin/sysctl --dry-run --system',
                           "sh", str(box)], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0 and "Applying" not in proc.stdout:
        pytest.skip(f"cannot run procps in a private mount namespace here: {proc.stderr.strip()[:200]}")
    files, values = [], {}
    for line in proc.stdout.splitlines():
        if m := re.match(r"\* Applying (\S+) \.\.\.$", line):
            real = os.path.realpath(box / m.group(1).lstrip("/"))
            if not Path(real).is_relative_to(box) or not Path(real).is_file():
                continue  # a link to /dev/null (masked): nothing is read
            files.append(root / Path(real).relative_to(box))
        elif " = " in line:
            k, v = line.split(" = ", 1)
            values[k] = v
    return files, values


def host_has(key: str) -> bool:
    return Path("/proc/sys", key.replace(".", "/")).exists()


# ---- what the script computes ----------------------------------------------------------------------------------

def script_files(script: Path, root: Path, reader: str) -> list[Path]:
    out = run_functions(script, root, f'he_sysctl_files fs {reader}; printf "%s\\n" "${{fs[@]}}"')
    return [Path(p) for p in out.splitlines() if p]


def script_scan(script: Path, root: Path, *settings: str) -> tuple[dict, list]:
    out = run_functions(script, root, "he_sysctl_scan " + " ".join(shlex.quote(s) for s in settings))
    effective, conflicts = {}, []
    for line in out.splitlines():
        f = line.split(SEP)
        if f[0] == "E":
            effective[(f[1], f[2])] = f[3] or None
        else:
            conflicts.append((f[1], f[2], f[3]))
    return effective, conflicts


def active_conflicts(files: list[Path], key: str, want: str) -> list[str]:
    """A file-grepping audit: every active line of FILES that assigns KEY another value."""
    hits = []
    for f in dict.fromkeys(files):
        for n, raw in enumerate(f.read_text().splitlines(), 1):
            line = raw.strip().lstrip("-")
            if line and line[0] not in "#;" and "=" in line:
                k, v = (p.strip() for p in line.split("=", 1))
                if _normkey(k) == key and " ".join(v.split()) != want:
                    hits.append(f"{f}:{n}: {raw}")
    return hits


# ---- random layouts: the script's reading order and values equal the real readers' ----------------------------

KEYS = ("net.ipv4.conf.all.send_redirects", "net.ipv4.conf.default.rp_filter", "net.ipv4.conf.all.rp_filter",
        "kernel.randomize_va_space")
NAMES = ("10-default-yama-scope.conf", "50-default.conf", "60-local.conf", "99-sysctl.conf", "99-zz-late.conf")


def random_layout(root: Path, rng: random.Random) -> None:
    def lines() -> str:
        out = []
        for _ in range(rng.randint(1, 4)):
            key = rng.choice(KEYS)
            out.append(rng.choice([
                f"{key} = {rng.randint(0, 2)}",
                f"{key}={rng.randint(0, 2)}",
                f"{key.replace('.', '/')} = {rng.randint(0, 2)}",
                f"# {key} = 9",
                "net.ipv4.conf.*.rp_filter = 2",
                "-net.ipv4.conf.all.rp_filter",
                f"-{key} = {rng.randint(0, 2)}",
            ]))
        return "\n".join(out) + "\n"

    root.mkdir(parents=True)
    for d in SYSCTL_DIRS:
        (root / d).mkdir(parents=True)
    if rng.random() < 0.5:
        (root / "lib").symlink_to("usr/lib")
    for d in SYSCTL_DIRS:
        for name in NAMES:
            if name == "99-sysctl.conf" or rng.random() > 0.35:
                continue
            (root / d / name).write_text(lines())
    if rng.random() < 0.8:
        (root / "etc/sysctl.conf").write_text(lines())
        if rng.random() < 0.7:
            (root / "etc/sysctl.d/99-sysctl.conf").symlink_to("../sysctl.conf")
    masked = [n for n in NAMES if (root / "usr/lib/sysctl.d" / n).exists() and not (root / "etc/sysctl.d" / n).exists()]
    if masked and rng.random() < 0.3:
        (root / "etc/sysctl.d" / rng.choice(masked)).symlink_to("/dev/null")


@pytest.mark.parametrize("seed", range(12))
def test_reading_order_and_values_match_the_real_readers(tmp_path, seed):
    rng = random.Random(seed)
    root = tmp_path / "root"
    random_layout(root, rng)
    script = script_path("al2023", 1)

    files = systemd_files(root)
    assert script_files(script, root, "systemd-sysctl") == files
    procps_files, procps_values = procps_system(root, tmp_path)
    assert script_files(script, root, "procps") == procps_files

    effective, _ = script_scan(script, root, *(f"{k}=0" for k in KEYS))
    for key in KEYS:
        assert effective[("systemd-sysctl", key)] == evaluate(files, key), key
        if host_has(key):
            assert effective[("procps", key)] == procps_values.get(key), (key, procps_files)


# ---- fixture roots: apply makes systemd-sysctl, procps and a file-grepping audit agree -------------------------

CASES = {
    # benchmark: (fixture, {control: (key, wanted value)})
    "al2023": ("al2023-eks-node", {"1.5.2": ("kernel.yama.ptrace_scope", "1"),
                                   "3.2.2": ("net.ipv4.conf.all.send_redirects", "0"),
                                   "3.3.7": ("net.ipv4.conf.default.rp_filter", "1")}),
    "al2": ("al2-eks-node", {"1.4.2": ("kernel.yama.ptrace_scope", "1"),
                             "3.3.2": ("net.ipv4.conf.all.send_redirects", "0"),
                             "3.3.7": ("net.ipv4.conf.default.rp_filter", "1")}),
}


@pytest.mark.parametrize("benchmark", sorted(CASES))
def test_apply_makes_every_reader_and_a_grep_agree(tmp_path, benchmark):
    fixture, controls = CASES[benchmark]
    root = make_root(tmp_path, fixture)
    # An administrator's /etc/sysctl.conf line (AL2 links it as 99-sysctl.conf; procps also reads it last).
    with (root / "etc/sysctl.conf").open("a") as f:
        f.write("net.ipv4.conf.all.send_redirects = 1\n")
    vendor = root / "usr/lib/sysctl.d/50-default.conf"
    if benchmark == "al2":  # AL2's systemd 219 sets 1; a vendor file with systemd's newer loose default instead
        vendor = root / "usr/lib/sysctl.d/45-loose.conf"
        vendor.write_text("net.ipv4.conf.default.rp_filter = 2\nnet.ipv4.conf.*.rp_filter = 2\n"
                          "-net.ipv4.conf.all.rp_filter\nnet.core.somaxconn = 4096\n")
    vendor_text = vendor.read_text()
    assert "kernel.yama.ptrace_scope = 0" in (root / "usr/lib/sysctl.d/10-default-yama-scope.conf").read_text()
    script = script_path(benchmark, 2)

    # The problem is real: procps applies the administrator's 1 last; systemd-sysctl reads the vendor 2 and 0.
    procps_files, procps_values = procps_system(root, tmp_path)
    assert procps_files[-1] == root / "etc/sysctl.conf"
    if host_has("net.ipv4.conf.all.send_redirects"):
        assert procps_values["net.ipv4.conf.all.send_redirects"] == "1"
    before = audit(script, root, *controls)
    assert {c: before[c]["status"] for c in controls} == dict.fromkeys(controls, "fail"), before

    result = apply(script, root, *controls)
    assert {c: result[c][0] for c in controls} == dict.fromkeys(controls, "fixed"), result
    after = audit(script, root, *controls)
    assert {c: after[c]["status"] for c in controls} == dict.fromkeys(controls, "pass"), after

    files = systemd_files(root)
    procps_files, procps_values = procps_system(root, tmp_path)
    for key, want in controls.values():
        assert evaluate(files, key) == want, key
        if host_has(key):
            assert procps_values.get(key) == want, key
        assert active_conflicts(files + procps_files, key, want) == []
    # The administrator's line is commented out with the marker; vendor files are untouched but shadowed by a
    # same-named /etc copy whose other settings still apply (systemd's loose glob for every interface).
    assert re.search(r"^# net.ipv4.conf.all.send_redirects = 1  # disabled by CIS hardening 3\.",
                     (root / "etc/sysctl.conf").read_text(), re.M)
    assert vendor.read_text() == vendor_text
    shadow = root / "etc/sysctl.d" / vendor.name
    assert shadow in files and vendor not in files
    assert evaluate(files, "net.ipv4.conf.eth0.rp_filter") == "2"
    if benchmark == "al2":
        assert evaluate(files, "net.core.somaxconn") == "4096"
    assert evaluate(files, "kernel.sysrq") == "16" or benchmark == "al2"

    settled = tree_digest(root)
    apply(script, root, *controls)
    assert tree_digest(root) == settled


def test_sysctl_conf_read_last_by_procps_fails_the_audit(tmp_path):
    """systemd-sysctl applies 0 (99-zz-redirects.conf sorts after 99-sysctl.conf), procps applies 1 (/etc/sysctl.conf
    last): an administrator's `sysctl --system` reverts the control, so the audit fails until apply fixes both."""
    root = make_root(tmp_path, "al2-eks-node")
    (root / "etc/sysctl.d/99-zz-redirects.conf").write_text(
        "net.ipv4.conf.all.send_redirects = 0\nnet.ipv4.conf.default.send_redirects = 0\n")
    with (root / "etc/sysctl.conf").open("a") as f:
        f.write("net.ipv4.conf.all.send_redirects = 1\n")
    key = "net.ipv4.conf.all.send_redirects"
    assert evaluate(systemd_files(root), key) == "0"
    _, procps_values = procps_system(root, tmp_path)
    if host_has(key):
        assert procps_values[key] == "1"
    script = script_path("al2", 1)
    before = audit(script, root, "3.3.2")["3.3.2"]
    assert before["status"] == "fail" and "from /etc/sysctl.conf:" in before["detail"], before

    apply(script, root, "3.3.2")
    assert audit(script, root, "3.3.2")["3.3.2"]["status"] == "pass"
    assert evaluate(systemd_files(root), key) == "0"
    if host_has(key):
        assert procps_system(root, tmp_path)[1][key] == "0"


# ---- IPv6 forwarding: pinned on an ipv4 render, kept on ipv6 ---------------------------------------------------

@pytest.mark.parametrize("benchmark, cid", [("al2023", "3.2.1"), ("al2", "3.3.1")])
def test_ipv6_forwarding_is_pinned_on_an_ipv4_render_only(tmp_path, benchmark, cid):
    fixture = CASES[benchmark][0]
    v4 = make_root(tmp_path / "v4", fixture)
    script = script_path(benchmark, 2, "ipv4")
    digest = tree_digest(v4)
    proc = run(script, "apply", "--root", str(v4), "--only", cid, "--dry-run")
    assert tree_digest(v4) == digest, "a dry run wrote the pin"
    assert f"{cid} | PATCH |" in proc.stdout
    result = apply(script, v4, cid)
    assert result[cid][0] == "excepted", result
    files = systemd_files(v4)
    assert evaluate(files, "net.ipv6.conf.all.forwarding") == "0"
    assert evaluate(files, "net.ipv4.ip_forward") == "1"  # the exception: pods are routed through the node
    assert "pinned: net.ipv6.conf.all.forwarding = 0" in result[cid][1]  # and the evidence says so
    _, procps_values = procps_system(v4, tmp_path)
    for key, want in (("net.ipv6.conf.all.forwarding", "0"), ("net.ipv4.ip_forward", "1")):
        if host_has(key):
            assert procps_values[key] == want, key
    settled = tree_digest(v4)
    apply(script, v4, cid)
    assert tree_digest(v4) == settled

    v6 = make_root(tmp_path / "v6", fixture)
    with (v6 / "etc/sysctl.d/99-kubernetes-cri.conf").open("a") as f:
        f.write("net.ipv6.conf.all.forwarding = 1\n")
    result = apply(script_path(benchmark, 2, "ipv6"), v6, cid)
    assert result[cid][0] == "excepted" and "pinned" not in result[cid][1], result
    assert evaluate(systemd_files(v6), "net.ipv6.conf.all.forwarding") == "1"

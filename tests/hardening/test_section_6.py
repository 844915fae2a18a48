"""AL2023 sections 2 and 6 beyond single scenarios: the full-file-system scan runs once per run, exempts container
and kubelet state without touching it, stays fast on a large root, and a level-2 apply keeps the node's
services and accounts usable."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from tests.hardening.harness import apply, audit, make_root, run, script_path

SNAPSHOT = "var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs"
POD_VOLUME = "var/lib/kubelet/pods/0d6c1f2e/volumes/kubernetes.io~empty-dir/cache"
SCAN_CONTROLS = ("6.1.11", "6.1.12", "5.2.3.6")


def counting_find(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A PATH whose `find` logs each full-file-system walk (the scan's -printf format) before running find."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "find.log"
    real = next(p for p in ("/usr/bin/find", "/bin/find") if os.path.exists(p))
    wrapper = bindir / "find"
    wrapper.write_text(f'#!/bin/bash\ncase " $* " in *"%y %m %U %G %p"*) echo scan >> "{log}" ;; esac\n'
                       f'exec {real} "$@"\n')
    wrapper.chmod(0o755)
    return {"PATH": f"{bindir}:/usr/sbin:/usr/bin:/sbin:/bin"}, log


def run_with_env(script: Path, env: dict[str, str], *args: str) -> str:
    import subprocess

    proc = subprocess.run(["bash", str(script), *args], capture_output=True, text=True, timeout=300,
                          env={**env, "LANG": "C", "TMPDIR": os.environ.get("TMPDIR", "/tmp")})
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def only(*ids: str) -> list[str]:
    return [a for cid in ids for a in ("--only", cid)]


def test_full_file_system_controls_share_one_find_pass(tmp_path):
    root = make_root(tmp_path)
    script = script_path("al2023", 2)
    env, log = counting_find(tmp_path)
    out = run_with_env(script, env, "audit", "--root", str(root), *only(*SCAN_CONTROLS))
    assert all(f"{cid} | AUDIT" in out for cid in SCAN_CONTROLS), out
    assert log.read_text().count("scan") == 1


def test_exempt_state_is_scanned_around_not_changed(tmp_path):
    root = make_root(tmp_path)
    snap_file = root / SNAPSHOT / "usr/share/nginx/index.html"
    snap_file.parent.mkdir(parents=True)
    snap_file.write_text("x\n")
    os.chown(snap_file, 101, 101)
    snap_file.chmod(0o666)
    pod = root / POD_VOLUME
    pod.mkdir(parents=True)
    pod.chmod(0o777)
    os.chown(pod, 1000, 2000)
    # Outside the exempt paths: findings of both kinds.
    stray = root / "opt/stray"
    stray.write_text("x\n")
    stray.chmod(0o666)
    os.chown(stray, 4242, 4242)
    script = script_path("al2023", 2)

    before = audit(script, root, "6.1.11", "6.1.12")
    assert before["6.1.11"]["status"] == "fail" and "/opt/stray" in before["6.1.11"]["detail"]
    assert "/var/lib/kubelet/pods" in before["6.1.11"]["detail"]  # the evidence names what is exempt
    assert SNAPSHOT not in before["6.1.11"]["detail"] and SNAPSHOT not in before["6.1.12"]["detail"]
    result = apply(script, root, "6.1.11", "6.1.12")
    assert result["6.1.11"][0] == result["6.1.12"][0] == "fixed"

    st = stray.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (0, 0, 0o664)
    st = snap_file.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (101, 101, 0o666)
    st = pod.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1000, 2000, 0o777)


def test_level2_apply_keeps_node_services_and_accounts(tmp_path):
    root = make_root(tmp_path)
    nfs = root / "usr/sbin/rpc.nfsd"
    nfs.write_text("#!/bin/sh\n")
    (root / "usr/sbin/mount.nfs").write_text("#!/bin/sh\n")
    script = script_path("al2023", 2)
    apply(script, root, *[c for c in audit(script, root) if c.split(".")[0] in ("2", "6")])
    after = audit(script, root)
    mine = {cid: c for cid, c in after.items() if cid.split(".")[0] in ("2", "6") and c["assessment"] == "automated"}
    assert {cid: c["status"] for cid, c in mine.items() if c["status"] != "pass"} == {}

    # Time sync stays on; kubelet keeps mount.nfs (only the NFS server is masked).
    assert (root / "etc/systemd/system/multi-user.target.wants/chronyd.service").is_symlink()
    assert (root / "usr/sbin/mount.nfs").exists()
    assert os.readlink(root / "etc/systemd/system/nfs-server.service") == "/dev/null"
    # Accounts: root and ec2-user keep their shells, root stays the only uid 0, shadow stays private.
    passwd = {ln.split(":")[0]: ln.split(":") for ln in (root / "etc/passwd").read_text().splitlines()}
    assert passwd["root"][2] == "0" and passwd["root"][6] == "/bin/bash"
    assert passwd["ec2-user"][6] == "/bin/bash"
    assert stat.S_IMODE((root / "etc/shadow").stat().st_mode) == 0
    assert (root / "home/ec2-user").stat().st_uid == 1000
    # SSM: the agent stays enabled, and nothing here locks or removes the account Session Manager creates.
    assert (root / "etc/systemd/system/multi-user.target.wants/amazon-ssm-agent.service").is_symlink()


def make_big_root(root: Path, files: int) -> None:
    """`files` empty files in directories of 500, all outside the exempt paths (every one is scanned)."""
    per_dir = 500
    for d in range(files // per_dir):
        base = root / "usr/share/bulk" / f"d{d:04d}"
        base.mkdir(parents=True, exist_ok=True)
        for i in range(per_dir):
            (base / f"f{i:04d}").write_bytes(b"")


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("HARDENING_BENCHMARK"), reason="benchmark: set HARDENING_BENCHMARK=1 to run")
def test_benchmark_level2_audit_of_100k_files(tmp_path, capsys):
    root = make_root(tmp_path)
    make_big_root(root, 100_000)
    script = script_path("al2023", 2)
    start = time.monotonic()
    run(script, "audit", "--root", str(root), "--json")
    elapsed = time.monotonic() - start
    with capsys.disabled():
        print(f"\nlevel-2 audit of a root with 100,000 extra files: {elapsed:.1f} s")

"""`--root DIR` means inside DIR (issue 18, item 1b): links are followed as the node would see them with DIR as `/`.

A hostile root has directory links that lead outside it on the build host, absolute (`etc/sysctl.d -> /elsewhere`)
and relative (`etc/modprobe.d -> ../../elsewhere`), and a symlinked `/etc/shadow`. apply must not change a byte
outside the root (digest of a sibling directory), must write what it writes where the node would find it (an
absolute target re-rooted, `..` stopping at the root), and must never turn the shadow link into a regular copy.
"""

from __future__ import annotations

from tests.hardening.harness import audit, make_root, run, script_path, tree_digest

SITE = ("--set", "remote-log-host=logs.example.internal")


def hostile_root(tmp_path):
    box = tmp_path / "box"
    box.mkdir()
    root = make_root(box)
    outside = box / "outside"
    for sub in ("sysctl.d", "modprobe.d"):
        (outside / sub).mkdir(parents=True)
        (outside / sub / "00-host.conf").write_text("# the build host's own file\n")
    (outside / "shadow").write_text("root:!!:19800:0:99999:7:::\n")
    (outside / "shadow").chmod(0o600)
    for sub in ("sysctl.d", "modprobe.d"):
        for entry in (root / "etc" / sub).iterdir():  # keep the node's own files next to the links' targets
            (root / "kept" / sub).mkdir(parents=True, exist_ok=True)
            entry.rename(root / "kept" / sub / entry.name)
        (root / "etc" / sub).rmdir()
    (root / "etc/sysctl.d").symlink_to(outside / "sysctl.d")  # absolute: /<host path>/box/outside/sysctl.d
    (root / "etc/modprobe.d").symlink_to("../../outside/modprobe.d")  # relative, climbing out of the root
    (root / "etc/shadow").unlink()
    (root / "etc/shadow").symlink_to("../../outside/shadow")
    return box, root, outside


def test_apply_never_writes_through_links_that_leave_the_root(tmp_path):
    script = script_path("al2023", 2)
    _box, root, outside = hostile_root(tmp_path)
    before = tree_digest(outside)
    run(script, "apply", "--root", str(root), *SITE, check_rc=(1, 3))
    assert tree_digest(outside) == before, "apply wrote outside the root"
    # The node sees /etc/sysctl.d as <root>/<host path of outside>/sysctl.d and /etc/modprobe.d as
    # <root>/outside/modprobe.d (`..` stops at its root): that is where the settings must be.
    rerooted = root / str(outside / "sysctl.d").lstrip("/")
    assert (rerooted / "99-zz-cis-hardening.conf").is_file()
    assert any((root / "outside/modprobe.d").glob("*.conf"))
    assert (root / "etc/shadow").is_symlink(), "the shadow link became a regular file"
    statuses = audit(script, root, "1.5.2", "1.1.1.1", "3.3.1")
    assert {c: s["status"] for c, s in statuses.items()} == {"1.5.2": "pass", "1.1.1.1": "pass", "3.3.1": "pass"}
    assert tree_digest(outside) == before

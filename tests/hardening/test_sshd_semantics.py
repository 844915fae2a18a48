"""sshd is judged as sshd reads it: our rendered audit against real OpenSSH (`sshd -T`) on the same configuration.

Each case writes a scratch sshd configuration into a fixture root (Match all, Match User, quoted keywords, `=`
forms, Include order with several drop-ins, a Match block inside an included file, comments), runs the rendered
audit on the root and Debian's `sshd -T -f` on the same files (absolute Include paths re-pointed into the root),
and checks that our verdict is what sshd computes: for the connection without Match criteria and, with `-C`, for
a connection of every user a Match block names. Then apply runs, and sshd -T on the result reports a compliant
value of every keyword for each of those connections; a second apply changes nothing.

AL2's OpenSSH 7.4 has no Include and rejects trailing comments; its cases use only what 7.4 and the local OpenSSH
read alike (Match all and Match User blocks, quoted keywords and values, `=` separators, keyword case).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.hardening.harness import apply, audit, run, script_path, tree_digest

SSHD = Path("/usr/sbin/sshd")
if not SSHD.exists():
    pytest.skip("/usr/sbin/sshd is absent: `make deps` installs Debian's openssh-server, whose `sshd -T` is the "
                "reference these tests compare the audit with", allow_module_level=True)

# keyword -> (control id, does a value comply); ids per benchmark.
AL2023 = {
    "permitrootlogin": ("4.2.7", lambda v: v == "no"),
    "permitemptypasswords": ("4.2.9", lambda v: v == "no"),
    "maxauthtries": ("4.2.16", lambda v: 1 <= int(v) <= 4),
    "x11forwarding": ("4.2.12", lambda v: v == "no"),
    "loglevel": ("4.2.5", lambda v: v.upper() in ("INFO", "VERBOSE")),
    "maxsessions": ("4.2.18", lambda v: 1 <= int(v) <= 10),
}
AL2 = {
    "permitrootlogin": ("4.2.20", lambda v: v == "no"),
    "permitemptypasswords": ("4.2.19", lambda v: v == "no"),
    "maxauthtries": ("4.2.16", lambda v: 1 <= int(v) <= 4),
    "gssapiauthentication": ("4.2.9", lambda v: v == "no"),
    "loglevel": ("4.2.14", lambda v: v.upper() in ("INFO", "VERBOSE")),
    "maxsessions": ("4.2.17", lambda v: 1 <= int(v) <= 10),
}
# Every keyword set explicitly and compliant at top level: the cases change what they are about.
BASE = ("PermitRootLogin no\nPermitEmptyPasswords no\nMaxAuthTries 4\nX11Forwarding no\nLogLevel INFO\n"
        "MaxSessions 10\n")
BASE_AL2 = BASE.replace("X11Forwarding no", "GSSAPIAuthentication no")


@pytest.fixture(scope="module")
def host_key(tmp_path_factory) -> Path:
    if not Path("/run/sshd").is_dir():  # sshd -T insists on its privilege separation directory
        try:
            Path("/run/sshd").mkdir(mode=0o755)
        except OSError as err:
            pytest.skip(f"sshd -T needs /run/sshd, which is missing and cannot be created here: {err}")
    key = tmp_path_factory.mktemp("sshd") / "host_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    return key


def _root(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "root"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(0o600)
    (root / "etc/issue.net").write_text("Authorized uses only.\n")
    return root


_INCLUDE = re.compile(r"^(\s*include\s+)(.*)$", re.I | re.M)


def sshd_t(root: Path, key: Path, user: str | None = None) -> dict[str, str]:
    """Real `sshd -T` on ROOT's configuration: a copy of ROOT's /etc whose Include patterns point into the copy."""
    view = root.parent / f"sshd-view-{os.getpid()}"
    shutil.rmtree(view, ignore_errors=True)
    shutil.copytree(root / "etc", view / "etc", symlinks=True)

    def repoint(m: re.Match) -> str:
        pats = [p if p.startswith("/") else f"/etc/ssh/{p}" for p in m.group(2).split()]
        return m.group(1) + " ".join(f"{view}{p}" for p in pats)

    for f in (view / "etc").rglob("*"):
        if f.is_file() and not f.is_symlink():
            f.write_text(_INCLUDE.sub(repoint, f.read_text()))
    args = [str(SSHD), "-T", "-f", str(view / "etc/ssh/sshd_config"), "-h", str(key)]
    if user:
        args += ["-C", f"user={user},host=client.example,addr=192.0.2.10"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"sshd -T rejected the configuration: {proc.stderr}"
    out: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        k, _, v = line.partition(" ")
        out.setdefault(k, v)
    return out


def _users(root: Path) -> list[str]:
    """Every user a `Match User` line names, across the configuration files."""
    users = []
    for f in sorted((root / "etc/ssh").rglob("*")):
        if f.is_file():
            users += re.findall(r"^\s*match\s+user\s+(\S+)", f.read_text(), re.I | re.M)
    return users


def _check(benchmark: str, root: Path, key: Path, keywords: dict) -> None:
    """Our verdict for each keyword equals sshd -T's, for the plain connection and each Match User's connection;
    apply then leaves every one of those connections compliant, and a second apply changes nothing."""
    script = script_path(benchmark, 2)
    ids = [cid for cid, _ in keywords.values()]
    conns = [None, *_users(root)]
    ours = audit(script, root, *ids)
    for kw, (cid, ok) in keywords.items():
        theirs = {c: sshd_t(root, key, c)[kw] for c in conns}
        expected = "pass" if all(ok(v) for v in theirs.values()) else "fail"
        assert ours[cid]["status"] == expected, (kw, theirs, ours[cid])
        if expected == "pass":  # and the evidence names the value sshd uses at startup
            assert ours[cid]["detail"].split()[1].lower() == theirs[None].lower(), (kw, theirs, ours[cid])

    apply(script, root, *ids)
    for c in conns:
        got = sshd_t(root, key, c)
        bad = {kw: got[kw] for kw, (_, ok) in keywords.items() if not ok(got[kw])}
        assert not bad, (c, bad)
    assert all(c["status"] == "pass" for c in audit(script, root, *ids).values())
    settled = tree_digest(root)
    apply(script, root, *ids)
    assert tree_digest(root) == settled, "second apply changed the root"


DROPIN_CASES = {
    # `Match all` applies to every connection: its values override the top-level ones (4.2.7, 4.2.9).
    "match-all": {"etc/ssh/sshd_config": BASE + "Match all\n  PermitRootLogin yes\n  PermitEmptyPasswords yes\n"},
    # A quoted keyword is a keyword, and it comes first; `=` separates like a blank; keyword case does not matter.
    "quoted-keyword": {"etc/ssh/sshd_config": '"PermitRootLogin" yes\n"MaxAuthTries" 3\nmaxsessions=20\n' + BASE},
    "quoted-values": {"etc/ssh/sshd_config": 'PERMITEMPTYPASSWORDS = "yes"\nLogLevel="QUIET"\n' + BASE},
    # Drop-ins in glob order (C collation: 10 < 2 < 30), a relative Include under /etc/ssh, a Match block inside an
    # included file that ends with that file, and `Match all` inside another.
    "include-order": {
        "etc/ssh/sshd_config": "Include /etc/ssh/sshd_config.d/*.conf\nInclude extra/*.conf\n" + BASE,
        "etc/ssh/sshd_config.d/10-a.conf": "MaxAuthTries 3\n",
        "etc/ssh/sshd_config.d/2-b.conf": "PermitRootLogin yes\n",
        "etc/ssh/sshd_config.d/30-match.conf": "Match User deploy\n  PermitEmptyPasswords yes\n",
        "etc/ssh/sshd_config.d/40-all.conf": "Match all\n  X11Forwarding yes\n",
        "etc/ssh/extra/log.conf": "LogLevel QUIET\n",
    },
    # The same drop-ins, all compliant: a Match in an included file does not leak into the includer.
    "include-compliant": {
        "etc/ssh/sshd_config": "Include /etc/ssh/sshd_config.d/*.conf\n" + BASE,
        "etc/ssh/sshd_config.d/10-a.conf": "MaxAuthTries 3\nMatch User deploy\n  MaxSessions 2\n",
        "etc/ssh/sshd_config.d/2-b.conf": "MaxAuthTries 2\nPermitRootLogin no\n",
    },
    # Match User: only that user's connections see the value (sshd -T -C user=...).
    "match-user": {"etc/ssh/sshd_config": BASE + "Match User deploy\n  MaxAuthTries 6\nMatch User other\n"
                                                 "  PermitRootLogin no\n"},
    # Comments: whole-line, indented, and after a value; a commented weak value does not count.
    "comments": {"etc/ssh/sshd_config": "# PermitRootLogin yes\n   #MaxAuthTries 10\nPermitRootLogin no # yes\n"
                                        + BASE + "Match all # everyone\n  LogLevel VERBOSE\n"},
}


@pytest.mark.parametrize("case", DROPIN_CASES)
def test_al2023_audit_agrees_with_sshd(case, tmp_path, host_key):
    _check("al2023", _root(tmp_path, DROPIN_CASES[case]), host_key, AL2023)


SINGLE_CASES = {
    "match-all": {"etc/ssh/sshd_config": BASE_AL2 + "Match all\n  PermitRootLogin yes\n  PermitEmptyPasswords yes\n"},
    "quoted-keyword": {"etc/ssh/sshd_config": '"PermitRootLogin" yes\n"MaxAuthTries" 3\nmaxsessions=20\n' + BASE_AL2},
    "quoted-values": {"etc/ssh/sshd_config": 'PERMITEMPTYPASSWORDS = "yes"\nLogLevel="QUIET"\n' + BASE_AL2},
    "match-user": {"etc/ssh/sshd_config": BASE_AL2 + "Match User deploy\n  MaxAuthTries 6\n  GSSAPIAuthentication yes\n"
                                                     "Match User other\n  PermitRootLogin no\n"},
    "comments": {"etc/ssh/sshd_config": "# PermitRootLogin yes\n   #MaxAuthTries 10\n" + BASE_AL2},
}


@pytest.mark.parametrize("case", SINGLE_CASES)
def test_al2_audit_agrees_with_sshd(case, tmp_path, host_key):
    _check("al2", _root(tmp_path, SINGLE_CASES[case]), host_key, AL2)


def test_pins_defaults_and_contrary_lines(tmp_path, host_key):
    """Section 2: a compliant compiled-in default is pinned, and a later contrary line (sshd never uses it) is
    commented out with our marker, so neither a new drop-in nor a file-reading audit meets a weak value."""
    script = script_path("al2023", 2)
    root = _root(tmp_path, {
        "etc/ssh/sshd_config": "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n",
        "etc/ssh/sshd_config.d/20-site.conf": "X11Forwarding no\n",
        "etc/ssh/sshd_config.d/50-redhat.conf": "UsePAM yes\nX11Forwarding yes\n",
    })
    assert sshd_t(root, host_key)["x11forwarding"] == "no"  # the later line is not used...
    ours = audit(script, root, "4.2.12", "4.2.9")
    assert ours["4.2.12"]["status"] == "fail" and "not used now" in ours["4.2.12"]["detail"], ours
    assert ours["4.2.9"]["status"] == "fail" and "not set" in ours["4.2.9"]["detail"], ours  # default "no"
    apply(script, root, "4.2.12", "4.2.9")
    redhat = (root / "etc/ssh/sshd_config.d/50-redhat.conf").read_text()
    assert "# X11Forwarding yes  # disabled by CIS hardening 4.2.12" in redhat
    dropin = (root / "etc/ssh/sshd_config.d/00-cis-hardening.conf").read_text().splitlines()
    assert "PermitEmptyPasswords no" in dropin and "X11Forwarding no" in dropin
    # A drop-in added later that sorts after ours cannot undo the pinned value.
    (root / "etc/ssh/sshd_config.d/60-added.conf").write_text("PermitEmptyPasswords yes\n")
    assert sshd_t(root, host_key)["permitemptypasswords"] == "no"


def test_links_are_read_as_the_node_reads_them(tmp_path):
    """A drop-in directory linked to an absolute path is that path under the root (as the node sees it), never the
    build host's directory of that name: its weak file is not read, and apply writes nothing there."""
    outside = tmp_path / "outside"
    (outside / "sshd_config.d").mkdir(parents=True)
    (outside / "sshd_config.d/10-x.conf").write_text("PermitRootLogin yes\nMaxAuthTries 9\n")
    root = _root(tmp_path, {"etc/ssh/sshd_config": "Include /etc/ssh/sshd_config.d/*.conf\n" + BASE})
    (root / "etc/ssh/sshd_config.d").symlink_to(outside / "sshd_config.d")
    script = script_path("al2023", 2)
    before = tree_digest(outside)
    assert audit(script, root, "4.2.7")["4.2.7"]["status"] == "pass"
    run(script, "apply", "--root", str(root), "--only", "4.2.7", "--only", "4.2.13", check_rc=(0, 1))
    assert tree_digest(outside) == before
    assert "AllowTcpForwarding no" in (root / str(outside).lstrip("/") / "sshd_config.d/00-cis-hardening.conf").read_text()

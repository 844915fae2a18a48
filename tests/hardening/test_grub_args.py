"""Kernel arguments survive grub2-mkconfig (issue 18, section 2).

grub2-mkconfig sources /etc/default/grub with /bin/sh and writes "${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}"
on every normal entry and "${GRUB_CMDLINE_LINUX}" alone on recovery entries (grub.d/10_linux; with BLS, Amazon Linux
2023's grub2-mkconfig writes the same pair into the entries' options). The kernel takes the last value of a repeated
key. Here a real /bin/sh sources each root's /etc/default/grub the same way, and the audit must fail exactly when that
would lose the argument, on the AL2 fixture (as shipped, and with only GRUB_CMDLINE_LINUX_DEFAULT, the shape the
issue reports for Amazon Linux 2) and the AL2023 fixture; after apply the argument survives every variant.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.hardening.harness import apply, audit, make_root, script_path, tree_digest

FIXTURES = {"al2023": "al2023-eks-node", "al2": "al2-eks-node"}


def mkconfig_cmdlines(root: Path) -> tuple[list[str], list[str]]:
    """The argument lists grub2-mkconfig would write (normal entry, recovery entry), from a real /bin/sh."""
    program = ('. ./etc/default/grub; printf "%s\\n" "${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}"; '
               'printf "%s\\n" "${GRUB_CMDLINE_LINUX}"')
    out = subprocess.run(["/bin/sh", "-c", program], cwd=root, env={"PATH": "/usr/bin:/bin"}, capture_output=True,
                         text=True, check=True, timeout=30).stdout.splitlines()
    return out[0].split(), out[1].split()


def kernel_value(args: list[str], key: str) -> str | None:
    """The value the kernel sees for KEY: the last one on the line."""
    values = [a.split("=", 1)[1] for a in args if a.startswith(key + "=")]
    return values[-1] if values else None


def booted_lines_carry(root: Path, arg: str) -> None:
    """What boots now carries ARG: only /etc/default/grub differs between the variants."""
    for entry in (root / "boot/loader/entries").glob("*.conf"):
        text = entry.read_text()
        entry.write_text("".join(ln + (f" {arg}" if ln.startswith("options ") else "") + "\n"
                                 for ln in text.splitlines()))
    cfg = root / "boot/grub2/grub.cfg"
    cfg.write_text("".join(ln + (f" {arg}" if ln.lstrip().startswith(("linux ", "linux16 ", "linuxefi ")) else "")
                           + "\n" for ln in cfg.read_text().splitlines()))


def drop_linux(text: str) -> str:
    return "".join(ln + "\n" for ln in text.splitlines() if not ln.startswith("GRUB_CMDLINE_LINUX="))


def add_to_default(text: str, arg: str) -> str:
    return "".join((ln[:-1] + f' {arg}"' if ln.startswith("GRUB_CMDLINE_LINUX_DEFAULT=") else ln) + "\n"
                   for ln in text.splitlines())


# name: how /etc/default/grub is changed (the booted configuration already has audit=1)
VARIANTS = {
    "as-shipped": lambda t: t,
    "only-cmdline-linux-default": drop_linux,
    "linux-set": lambda t: t.replace('GRUB_CMDLINE_LINUX=""', 'GRUB_CMDLINE_LINUX="audit=1"'),
    "linux-set-default-overrides": lambda t: add_to_default(
        t.replace('GRUB_CMDLINE_LINUX=""', 'GRUB_CMDLINE_LINUX="audit=1"'), "audit=0"),
    "only-default-has-it": lambda t: add_to_default(drop_linux(t), "audit=1"),
    "self-append": lambda t: t.replace('GRUB_CMDLINE_LINUX=""', 'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX audit=1"'),
    "later-line-resets": lambda t: t.replace('GRUB_CMDLINE_LINUX=""',
                                             'GRUB_CMDLINE_LINUX="audit=1"\nGRUB_CMDLINE_LINUX=""'),
    "commented": lambda t: drop_linux(t) + '#GRUB_CMDLINE_LINUX="audit=1"\n',
    "single-quotes": lambda t: t.replace('GRUB_CMDLINE_LINUX=""', "GRUB_CMDLINE_LINUX='audit=1'"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("benchmark", sorted(FIXTURES))
def test_audit_fails_exactly_when_grub2_mkconfig_would_lose_the_argument(tmp_path, benchmark, variant):
    root = make_root(tmp_path, FIXTURES[benchmark])
    grub = root / "etc/default/grub"
    grub.write_text(VARIANTS[variant](grub.read_text()))
    booted_lines_carry(root, "audit=1")
    normal, recovery = mkconfig_cmdlines(root)
    survives = kernel_value(normal, "audit") == "1" and kernel_value(recovery, "audit") == "1"
    script = script_path(benchmark, 2)

    before = audit(script, root, "5.2.1.2")["5.2.1.2"]
    assert before["status"] == ("pass" if survives else "fail"), (normal, recovery, before)
    if survives:
        return
    assert "/etc/default/grub" in before["detail"], before

    result = apply(script, root, "5.2.1.2")
    assert result["5.2.1.2"][0] == "fixed", result
    normal, recovery = mkconfig_cmdlines(root)
    assert kernel_value(normal, "audit") == "1" and kernel_value(recovery, "audit") == "1", grub.read_text()
    # Nothing else on the line was lost.
    assert {"console=tty0", "nvme_core.io_timeout=4294967295", "rd.shell=0"} <= set(normal)
    settled = tree_digest(root)
    apply(script, root, "5.2.1.2")
    assert tree_digest(root) == settled


def test_al2_shape_gets_a_grub_cmdline_linux_line(tmp_path):
    """Amazon Linux 2's /etc/default/grub has only GRUB_CMDLINE_LINUX_DEFAULT: apply adds GRUB_CMDLINE_LINUX with
    the arguments of every control that needs one (5.2.1.2 and the backlog limit of 5.2.1.3)."""
    root = make_root(tmp_path, "al2-eks-node")
    grub = root / "etc/default/grub"
    grub.write_text(drop_linux(grub.read_text()))
    default_line = next(ln for ln in grub.read_text().splitlines() if ln.startswith("GRUB_CMDLINE_LINUX_DEFAULT="))
    apply(script_path("al2", 2), root, "5.2.1.2", "5.2.1.3")
    lines = grub.read_text().splitlines()
    assert default_line in lines  # untouched
    assert [ln for ln in lines if ln.startswith("GRUB_CMDLINE_LINUX=")] == [
        'GRUB_CMDLINE_LINUX="audit=1 audit_backlog_limit=8192"']
    normal, recovery = mkconfig_cmdlines(root)
    for args in (normal, recovery):
        assert kernel_value(args, "audit") == "1" and kernel_value(args, "audit_backlog_limit") == "8192"


@pytest.mark.parametrize("benchmark, cid", [("al2023", "1.6.1.2"), ("al2", "1.5.1.2")])
def test_absent_argument_in_cmdline_linux_default_is_found_and_removed(tmp_path, benchmark, cid):
    root = make_root(tmp_path, FIXTURES[benchmark])
    grub = root / "etc/default/grub"
    grub.write_text(add_to_default(drop_linux(grub.read_text()), "selinux=0"))
    assert kernel_value(mkconfig_cmdlines(root)[0], "selinux") == "0"
    script = script_path(benchmark, 2)
    assert audit(script, root, cid)[cid]["status"] == "fail"
    apply(script, root, cid)
    assert kernel_value(mkconfig_cmdlines(root)[0], "selinux") != "0"
    assert audit(script, root, cid)[cid]["status"] == "pass"

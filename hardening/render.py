"""Render one self-contained bash script for a benchmark, level, ip family and set of exclusions.

The script is the runtime library, the families, the benchmark's custom control snippets and one small
function per control, in a fixed order: the same inputs give a byte-identical script.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from hardening.catalog import (
    CONTROLS_DIR,
    FAMILY_DIR,
    HARDENING_DIR,
    IP_FAMILIES,
    Control,
    benchmark_info,
    disposition,
    families,
    load_catalog,
)

LIB_FILES = ("lib/runtime.sh", "lib/common.sh")
LEVELS = (1, 2)
_DIGEST_PLACEHOLDER = "@@PROFILE_DIGEST@@"


class RenderError(ValueError):
    """Bad user input for a render (unknown benchmark, level, ip family or control id)."""


def _q(value: str) -> str:
    """Quote for bash (single quotes), deterministic."""
    return "'" + str(value).replace("'", "'\\''") + "'"


def _part(path: Path) -> str:
    """A library file without its shellcheck file directives (the rendered script has its own)."""
    lines = [ln for ln in path.read_text().splitlines() if not re.match(r"#\s*shellcheck\s+(shell|disable)=", ln)]
    rel = path.relative_to(HARDENING_DIR)
    return f"# ---- {rel} " + "-" * max(0, 90 - len(str(rel))) + "\n" + "\n".join(lines).strip("\n") + "\n"


def _control_function(control: Control) -> str:
    if control.custom:
        return ""  # defined by the benchmark's snippet files
    words = []
    for _name, value in control.args:
        if isinstance(value, tuple):
            words.extend(_q(v) for v in value)
        else:
            words.append(_q(value))
    return f'{control.function}() {{ he_fam_{control.family} "$1" {" ".join(words)}; }}\n'


def validate_request(benchmark: str, level: int, excluded: Iterable[str], ip_family: str) -> None:
    from hardening.catalog import BENCHMARKS, known_ids

    if benchmark not in BENCHMARKS:
        raise RenderError(f"--benchmark: {benchmark!r} is not a benchmark; allowed: {', '.join(BENCHMARKS)}")
    if benchmark == "bottlerocket":
        # Bottlerocket has no shell, package manager or writable /etc to run a script on: its settings are
        # API settings and bootstrap containers.
        raise RenderError("--benchmark: 'bottlerocket' has no hardening script (Bottlerocket runs no shell scripts); "
                          "use `python -m hardening.bottlerocket` for its settings; scripts exist for: "
                          f"{', '.join(b for b in BENCHMARKS if b != 'bottlerocket')}")
    if level not in LEVELS:
        raise RenderError(f"--level: {level!r} is not a level; allowed: 1, 2")
    if ip_family not in IP_FAMILIES:
        raise RenderError(f"--ip-family: {ip_family!r} is not an ip family; allowed: {', '.join(IP_FAMILIES)}")
    unknown = sorted(set(excluded) - known_ids(benchmark))
    if unknown:
        raise RenderError(f"--exclude: {', '.join(unknown)} not {benchmark} control ids "
                          f"(run `python -m hardening matrix --benchmark {benchmark}` to list them)")


def render(benchmark: str, level: int, excluded: Iterable[str] = (), ip_family: str = "ipv4",
           allow_unimplemented: bool = False) -> str:
    """The script text. A control nobody has implemented yet is an error unless `allow_unimplemented`, in which
    case the script reports it as `fail` ("not implemented") in both audit and apply."""
    excluded = sorted(set(excluded), key=_id_key)
    validate_request(benchmark, level, excluded, ip_family)
    info = benchmark_info(benchmark)
    controls = [c for c in load_catalog(benchmark) if c.level <= level]

    arrays: dict[str, list[str]] = {k: [] for k in
                                    ("TITLE", "LEVEL", "ASSESSMENT", "DISPOSITION", "REASON", "FN", "EXCEPTION",
                                     "COMPENSATING")}
    functions = []
    missing: list[str] = []
    for c in controls:
        disp = disposition(c, benchmark, excluded, ip_family)
        reason = exc_key = compensating = ""
        has_check = bool(c.family or c.custom)
        if disp == "excluded":
            # The stack says which it was (make plan, the report): listed, or a site value it does not set.
            reason = "excluded by the stack: in its hardening exclusions, or needs a site value it does not set"
        elif disp == "excepted":
            exc = c.exception_for(ip_family, benchmark)
            assert exc is not None
            reason, exc_key, compensating = exc.reason, exc.key, exc.compensating
        elif disp == "applied":
            disp = "automated"
        elif disp == "not_implemented":
            if not allow_unimplemented:
                missing.append(c.id)
            disp = "unimplemented"
        fn = c.function if has_check and disp in ("automated", "excepted") else ""
        if fn:
            functions.append(_control_function(c))
        for key, value in (("TITLE", c.title), ("LEVEL", str(c.level)), ("ASSESSMENT", c.assessment),
                           ("DISPOSITION", disp), ("REASON", reason), ("FN", fn), ("EXCEPTION", exc_key),
                           ("COMPENSATING", compensating)):
            arrays[key].append(f"  [{c.id}]={_q(value)}")

    if missing:
        raise RenderError(f"{benchmark} level {level}: {len(missing)} controls are not implemented yet "
                          f"({', '.join(missing[:8])}{', ...' if len(missing) > 8 else ''}); exclude them or pass "
                          "--allow-unimplemented to report them as failing")
    out = [
        "#!/usr/bin/env bash",
        "# shellcheck disable=SC2016  # gawk programs are passed in single quotes through helpers",
        f"# cis-harden.sh: {info['name']} {info['version']}, level {level}, ip family {ip_family}.",
        "# Generated by `python -m hardening render` from hardening/ (catalogue, families, snippets); do not edit.",
        "# Needs bash, coreutils, findutils, grep, sed and gawk. Usage: see `cis-harden.sh --help`.",
        "set -Eeuo pipefail",
        "export LC_ALL=C",
        "",
        f"HE_PROFILE_BENCHMARK={_q(benchmark)}",
        f"HE_PROFILE_NAME={_q(info['name'])}",
        f"HE_PROFILE_VERSION={_q(info['version'])}",
        f"HE_PROFILE_LEVEL={level}",
        f"HE_PROFILE_IP_FAMILY={_q(ip_family)}",
        f"HE_PROFILE_DIGEST={_DIGEST_PLACEHOLDER}",
        "HE_PROFILE_EXCLUDED=(" + " ".join(_q(i) for i in excluded) + ")",
        "HE_PROFILE_IDS=(" + " ".join(_q(c.id) for c in controls) + ")",
    ]
    for key, items in arrays.items():
        out.append(f"declare -A HE_CTL_{key}=(")
        out.extend(items)
        out.append(")")
    out.append("")
    body = "\n".join(out) + "\n"
    extra_libs = sorted(str(p.relative_to(HARDENING_DIR)) for p in (HARDENING_DIR / "lib").glob("*.sh"))
    for rel in (*LIB_FILES, *(r for r in extra_libs if r not in LIB_FILES)):  # other readers after the core
        body += "\n" + _part(HARDENING_DIR / rel)
    for path in sorted({f.path for f in families().values()}):
        body += "\n" + _part(path)
    for path in sorted((CONTROLS_DIR / benchmark).glob("*.sh")):
        body += "\n" + _part(path)
    body += "\n# ---- controls " + "-" * 86 + "\n" + "".join(functions)
    body += '\nhe_main "$@"\n'
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    return body.replace(_DIGEST_PLACEHOLDER, digest, 1)


def _id_key(cid: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in cid.split("."))


__all__ = ["FAMILY_DIR", "RenderError", "render", "validate_request"]

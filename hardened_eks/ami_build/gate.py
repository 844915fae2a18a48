"""The build gate: compare the audit before and after our changes, on the machine running Packer.

It runs as a Packer shell-local step before the image is created, so a failed gate leaves no AMI.
What it expects comes from the profile the build rendered (benchmark, version, level, ip family,
exclusions, every control id with its disposition and EKS exception, the profile digest), never
from the audit under judgement. Each audit must account for every control of that profile exactly
once, carry the profile's digest, keep a summary that matches its controls, and call a control
`excepted` or `excluded` only where the profile does. A build then fails when a control that passed
before no longer passes, or when any control ends in `fail` or `deferred` (excepted and excluded
controls carry their own status and never fail it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hardened_eks.jsonfile import JsonFileError, read_json
from hardened_eks.schemas import ResultInvalid, validate
from hardening.catalog import benchmark_info, disposition, load_catalog

BLOCKING = ("fail", "deferred")
STATUSES = ("pass", "fail", "manual", "excepted", "excluded", "not-applicable", "deferred")
# The statuses `cis-harden.sh audit` can give a control, by the disposition the profile rendered for it.
ALLOWED = {
    "automated": ("pass", "fail", "not-applicable", "deferred"),
    "not_implemented": ("fail",),
    "manual": ("manual",),
    "excepted": ("excepted",),
    "excluded": ("excluded",),
}
_LISTED = 8  # ids named in one problem line


@dataclass(frozen=True)
class ExpectedControl:
    id: str
    level: int
    assessment: str
    disposition: str  # a key of ALLOWED
    exception: str | None  # key in hardening/exceptions.yaml when excepted


@dataclass(frozen=True)
class Profile:
    """What a rendered cis-harden.sh audits: the audit of any machine with that script must say the same."""

    benchmark: str
    version: str
    level: int
    ip_family: str
    excluded: tuple[str, ...]
    digest: str | None  # of the rendered script; None: not checked (the report has no script to read it from)
    controls: dict[str, ExpectedControl]  # in the script's order


def profile_digest(script: str) -> str | None:
    found = re.search(r"^HE_PROFILE_DIGEST=([0-9a-f]{16})$", script, re.M)
    return found.group(1) if found else None


def expected_profile(benchmark: str, level: int, excluded: tuple[str, ...], ip_family: str,
                     script: str | None = None) -> Profile:
    """The profile from the catalogue (hardening/), with the digest of the rendered `script` when given."""
    digest = profile_digest(script) if script is not None else None
    if script is not None and digest is None:
        raise ResultInvalid("the rendered cis-harden.sh carries no HE_PROFILE_DIGEST line; it is not a rendered profile")
    controls = {}
    for control in load_catalog(benchmark):
        if control.level > level:
            continue
        what = disposition(control, benchmark, excluded, ip_family)
        exception = control.exception_for(ip_family, benchmark) if what == "excepted" else None
        controls[control.id] = ExpectedControl(control.id, control.level, control.assessment,
                                               "automated" if what == "applied" else what,
                                               exception.key if exception else None)
    return Profile(benchmark, benchmark_info(benchmark)["version"], level, ip_family, tuple(sorted(excluded)), digest,
                   controls)


@dataclass(frozen=True)
class GateResult:
    regressions: list[str]  # "id title: pass -> fail"
    blocking: list[str]  # "id title: fail (detail)"
    problems: list[str]  # audits that do not account for the profile

    @property
    def passed(self) -> bool:
        return not (self.regressions or self.blocking or self.problems)

    def summary(self) -> str:
        if self.passed:
            return "gate: passed"
        lines = [f"gate: FAILED ({len(self.regressions)} regression(s), {len(self.blocking)} failing or deferred "
                 f"control(s), {len(self.problems)} report problem(s))"]
        lines += [f"  report: {p}" for p in self.problems]
        lines += [f"  regressed: {r}" for r in self.regressions]
        lines += [f"  blocking: {b}" for b in self.blocking]
        return "\n".join(lines)


def audit_problems(name: str, doc: dict, profile: Profile) -> list[str]:
    """Every way the audit `name` fails to account for `profile` (empty: it is complete and consistent)."""
    where = f"audit {name}"
    problems = []
    said = (doc["benchmark"], doc["benchmarkVersion"], doc["level"], doc["ipFamily"])
    want = (profile.benchmark, profile.version, profile.level, profile.ip_family)
    if said != want:
        problems.append(f"{where} is for {' '.join(map(str, said[:2]))} level {said[2]} {said[3]}, expected "
                        f"{' '.join(map(str, want[:2]))} level {want[2]} {want[3]}")
    if sorted(doc["excluded"]) != sorted(profile.excluded):
        problems.append(f"{where} excluded {sorted(doc['excluded'])}, expected {sorted(profile.excluded)}")
    digest = doc.get("profileDigest")
    if profile.digest is not None and digest != profile.digest:
        problems.append(f"{where} has profile digest {digest or '(none)'}, expected {profile.digest} (the script "
                        "this build rendered): it is the audit of another profile")
    if doc["root"] != "/":
        problems.append(f"{where} audited the offline root {doc['root']}, not the running builder")

    seen: dict[str, int] = {}
    for control in doc["controls"]:
        seen[control["id"]] = seen.get(control["id"], 0) + 1
    repeated = sorted((i for i, n in seen.items() if n > 1), key=_id_key)
    missing = [i for i in profile.controls if i not in seen]
    unknown = sorted((i for i in seen if i not in profile.controls), key=_id_key)
    if missing:
        problems.append(f"{where} lacks {len(missing)} of the profile's {len(profile.controls)} controls: "
                        f"{_ids(missing)}")
    if repeated:
        problems.append(f"{where} lists {len(repeated)} control(s) more than once: {_ids(repeated)}")
    if unknown:
        problems.append(f"{where} lists {len(unknown)} control(s) that are not in the profile: {_ids(unknown)}")

    for control in doc["controls"]:
        expected = profile.controls.get(control["id"])
        if expected is None:
            continue
        label = f"{where}: {control['id']}"
        status = control["status"]
        if (control["level"], control["assessment"]) != (expected.level, expected.assessment):
            problems.append(f"{label} is level {control['level']} {control['assessment']}, the profile says level "
                            f"{expected.level} {expected.assessment}")
        if status not in ALLOWED[expected.disposition]:
            problems.append(f"{label} is {status}, but the profile renders it {expected.disposition.replace('_', ' ')} "
                            f"(allowed: {', '.join(ALLOWED[expected.disposition])})")
        elif status == "excepted" and control.get("exception") != expected.exception:
            problems.append(f"{label} is excepted under {control.get('exception')!r}, but its EKS exception in "
                            f"hardening/exceptions.yaml is {expected.exception!r}")

    counted = {s: sum(c["status"] == s for c in doc["controls"]) for s in STATUSES}
    wrong = [f"{s}={doc['summary'][s]} (controls: {counted[s]})" for s in STATUSES if doc["summary"][s] != counted[s]]
    if wrong:
        problems.append(f"{where} summary disagrees with its controls: {', '.join(wrong)}")
    return problems


def evaluate(before: dict, after: dict, profile: Profile) -> GateResult:
    problems = audit_problems("before", before, profile) + audit_problems("after", after, profile)
    passed_before = {c["id"] for c in before["controls"] if c["status"] == "pass"}
    regressions, blocking = [], []
    for control in after["controls"]:
        label = f"{control['id']} {control['title']}"
        if control["id"] in passed_before and control["status"] != "pass":
            regressions.append(f"{label}: pass -> {control['status']} ({control['detail']})")
        elif control["status"] in BLOCKING:
            blocking.append(f"{label}: {control['status']} ({control['detail']})")
    return GateResult(regressions, blocking, problems)


def load_audit(path: Path) -> dict:
    try:
        document = read_json(path)
    except FileNotFoundError:
        raise ResultInvalid(f"audit report {path} is missing; the audit step did not download it") from None
    except JsonFileError as error:
        raise ResultInvalid(f"audit report {error}") from None
    return validate("audit", document, str(path))


def _ids(ids: list[str]) -> str:
    return ", ".join(ids[:_LISTED]) + (f", ... ({len(ids) - _LISTED} more)" if len(ids) > _LISTED else "")


def _id_key(cid: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in cid.split("."))

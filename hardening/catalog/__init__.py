"""Load the control catalogues and answer questions about them.

This is the single source of truth for control facts. Per benchmark:
- `catalog/<benchmark>.yaml`: the specification copy (id, title, level, assessment of every recommendation);
- `catalog/<benchmark>/section-<n>.yaml`: how each automated control of section n is met, one file per
  section so sections can be worked on independently;
- `hardening/exceptions.yaml`: EKS exceptions, shared by all benchmarks.
Everything else (the renderer, `matrix`, config validation, the plan) reads it through this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOG_DIR = Path(__file__).resolve().parent
HARDENING_DIR = CATALOG_DIR.parent
FAMILY_DIR = HARDENING_DIR / "families"
CONTROLS_DIR = HARDENING_DIR / "controls"
EXCEPTIONS_FILE = HARDENING_DIR / "exceptions.yaml"
BENCHMARKS = ("al2023", "al2", "bottlerocket")
IP_FAMILIES = ("ipv4", "ipv6")


class CatalogError(ValueError):
    """The catalogue data is inconsistent (a developer mistake, reported with the file and control id)."""


@dataclass(frozen=True)
class Exception_:
    """An EKS exception: why a control is not applied on EKS nodes and what compensates."""

    key: str
    title: str
    reason: str
    compensating: str
    sources: tuple[str, ...]
    controls: Mapping[str, tuple[str, ...]]  # benchmark -> ids
    ip_families: tuple[str, ...] = IP_FAMILIES

    def applies(self, benchmark: str, control_id: str, ip_family: str) -> bool:
        return control_id in self.controls.get(benchmark, ()) and ip_family in self.ip_families


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    level: int
    assessment: str  # "automated" | "manual"
    implemented: bool = False
    family: str | None = None  # a template in hardening/families/
    args: tuple[tuple[str, Any], ...] = ()  # family arguments, in the family's order
    custom: bool = False  # own audit/apply in hardening/controls/<benchmark>/section-<n>.sh
    source: str = ""  # the section file that says how the control is met
    exceptions: tuple[Exception_, ...] = field(default=(), compare=False)

    @property
    def section(self) -> str:
        return self.id.split(".")[0]

    @property
    def function(self) -> str:
        return "he_ctl_" + self.id.replace(".", "_")

    def exception_for(self, ip_family: str, benchmark: str) -> Exception_ | None:
        for exc in self.exceptions:
            if exc.applies(benchmark, self.id, ip_family):
                return exc
        return None


@dataclass(frozen=True)
class Family:
    name: str
    params: tuple[str, ...]  # the last one may end in "..." (a list)
    path: Path


@cache
def families() -> dict[str, Family]:
    """Families declared by `# family: <name>` + `# args: a b c...` header lines in hardening/families/*.sh."""
    found: dict[str, Family] = {}
    for path in sorted(FAMILY_DIR.glob("*.sh")):
        name = None
        for line in path.read_text().splitlines():
            if m := re.match(r"#\s*family:\s*(\S+)\s*$", line):
                name = m.group(1)
            elif (m := re.match(r"#\s*args:\s*(.*)$", line)) and name:
                found[name] = Family(name, tuple(m.group(1).split()), path)
                name = None
    return found


# libyaml's loader when PyYAML was built with it: the catalogues are read on every plan and render.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_YAML_LOADER)


@cache
def load_exceptions() -> tuple[Exception_, ...]:
    doc = load_yaml(EXCEPTIONS_FILE.read_text()) or {}
    out = []
    for key, e in (doc.get("exceptions") or {}).items():
        for required in ("title", "reason", "compensating", "sources", "controls"):
            if not e.get(required):
                raise CatalogError(f"{EXCEPTIONS_FILE.name}: exception {key!r} lacks {required!r}")
        families_ = tuple(e.get("ip_families", IP_FAMILIES))
        if set(families_) - set(IP_FAMILIES):
            raise CatalogError(f"{EXCEPTIONS_FILE.name}: exception {key!r}: ip_families must be among {IP_FAMILIES}")
        out.append(
            Exception_(
                key=key,
                title=e["title"].strip(),
                reason=" ".join(e["reason"].split()),
                compensating=" ".join(e["compensating"].split()),
                sources=tuple(e["sources"]),
                controls={b: tuple(str(i) for i in ids) for b, ids in e["controls"].items()},
                ip_families=families_,
            )
        )
    return tuple(out)


def _ordered_args(family: Family, args: Mapping[str, Any], where: str) -> tuple[tuple[str, Any], ...]:
    names = [p.removesuffix("...") for p in family.params]
    unknown = set(args) - set(names)
    missing = [n for n in names if n not in args]
    if unknown or missing:
        raise CatalogError(f"{where}: family {family.name} takes {', '.join(family.params)}; "
                           f"unknown {sorted(unknown)}, missing {missing}")
    ordered = []
    for param in family.params:
        name = param.removesuffix("...")
        value = args[name]
        if param.endswith("..."):
            value = tuple(str(v) for v in (value if isinstance(value, list) else [value]))
        elif isinstance(value, list | dict):
            raise CatalogError(f"{where}: argument {name} of {family.name} must be a single value")
        else:
            value = str(value)
        ordered.append((name, value))
    return tuple(ordered)


@cache
def _implementations(benchmark: str) -> dict[str, dict[str, Any]]:
    impl: dict[str, dict[str, Any]] = {}
    for path in sorted((CATALOG_DIR / benchmark).glob("section-*.yaml")):
        doc = load_yaml(path.read_text()) or {}
        for cid, spec in (doc.get("controls") or {}).items():
            cid = str(cid)
            if cid in impl:
                raise CatalogError(f"{path.name}: control {cid} is also defined in {impl[cid]['_source']}")
            impl[cid] = {**(spec or {}), "_source": f"catalog/{benchmark}/{path.name}"}
    return impl


@cache
def custom_functions(benchmark: str) -> frozenset[str]:
    names: set[str] = set()
    for path in sorted((CONTROLS_DIR / benchmark).glob("*.sh")):
        names.update(re.findall(r"^(he_ctl_[0-9_]+)\(\)", path.read_text(), re.M))
    return frozenset(names)


@cache
def load_catalog(benchmark: str) -> tuple[Control, ...]:
    if benchmark not in BENCHMARKS:
        raise KeyError(f"unknown benchmark {benchmark!r}; known: {', '.join(BENCHMARKS)}")
    doc = load_yaml((CATALOG_DIR / f"{benchmark}.yaml").read_text())
    impl = _implementations(benchmark)
    fams = families()
    customs = custom_functions(benchmark)
    exceptions = load_exceptions()
    ids = {str(c["id"]) for c in doc["controls"]}
    for cid, spec in impl.items():
        if cid not in ids:
            raise CatalogError(f"{spec['_source']}: {cid} is not a {benchmark} recommendation")
    for exc in exceptions:
        for cid in exc.controls.get(benchmark, ()):
            if cid not in ids:
                raise CatalogError(f"{EXCEPTIONS_FILE.name}: {exc.key} names unknown {benchmark} control {cid}")
    controls = []
    for c in doc["controls"]:
        cid = str(c["id"])
        spec = impl.get(cid, {})
        where = f"{spec.get('_source', benchmark)}: {cid}"
        family = spec.get("family")
        args: tuple[tuple[str, Any], ...] = ()
        if family is not None:
            if family not in fams:
                raise CatalogError(f"{where}: unknown family {family!r}; known: {', '.join(sorted(fams))}")
            args = _ordered_args(fams[family], spec.get("args") or {}, where)
        custom = bool(spec.get("custom"))
        if custom and family:
            raise CatalogError(f"{where}: a control is either custom or uses a family, not both")
        function = "he_ctl_" + cid.replace(".", "_")
        if custom and function not in customs:
            raise CatalogError(f"{where}: custom control but no {function}() in hardening/controls/{benchmark}/")
        if spec and c["assessment"] == "manual":
            raise CatalogError(f"{where}: manual recommendations are reported as manual, not implemented")
        own = tuple(e for e in exceptions if cid in e.controls.get(benchmark, ()))
        controls.append(
            Control(
                id=cid,
                title=c["title"],
                level=int(c["level"]),
                assessment=c["assessment"],
                # Excepted for every ip family, or met by a family/custom snippet.
                implemented=bool(family or custom or any(set(e.ip_families) == set(IP_FAMILIES) for e in own)
                                 # a benchmark whose index carries its own checks (Bottlerocket settings)
                                 or c.get("met") or c.get("audit") or c.get("template") or c.get("exception")),
                family=family,
                args=args,
                custom=custom,
                source=spec.get("_source", ""),
                exceptions=own,
            )
        )
    return tuple(controls)


@cache
def benchmark_info(benchmark: str) -> dict[str, str]:
    doc = load_yaml((CATALOG_DIR / f"{benchmark}.yaml").read_text())
    return {"name": doc["name"], "version": doc["version"]}


def known_ids(benchmark: str) -> frozenset[str]:
    return frozenset(c.id for c in load_catalog(benchmark))


def disposition(control: Control, benchmark: str, excluded: Iterable[str], ip_family: str) -> str:
    """What a profile does with a control: excluded, manual, excepted, applied or not_implemented."""
    if control.id in set(excluded):
        return "excluded"
    if control.assessment == "manual":
        return "manual"
    if control.exception_for(ip_family, benchmark):
        return "excepted"
    if control.implemented:
        return "applied"
    return "not_implemented"


def summarize(benchmark: str, level: int, excluded: Iterable[str] = (), ip_family: str = "ipv4") -> dict[str, int]:
    """Counts of what a rendered profile does with the controls of `level` (level 2 includes level 1)."""
    excluded = set(excluded)
    counts = {"applied": 0, "excepted": 0, "manual": 0, "excluded": 0, "not_implemented": 0}
    for control in load_catalog(benchmark):
        if control.level > level:
            continue
        counts[disposition(control, benchmark, excluded, ip_family)] += 1
    return counts

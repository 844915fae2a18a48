"""How each CIS Bottlerocket recommendation is met, per level, read from hardening/catalog/bottlerocket.yaml.

Ids, titles and levels come from the shared loader (hardening.catalog); this module reads the `met` blocks that
only Bottlerocket has, checks them, and answers the questions the user data, the firewall and `matrix` ask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from hardening.catalog import CATALOG_DIR, CatalogError, load_catalog, load_yaml

BENCHMARK = "bottlerocket"
LEVELS = (1, 2)
# Ways a control is met; `implemented` ones are applied (or kept) by what we ship.
METHODS = ("stock", "setting", "bootstrap-container", "manual")
IMPLEMENTED_METHODS = ("stock", "setting", "bootstrap-container")

Scalar = str | bool | int


@dataclass(frozen=True)
class SettingValue:
    """A Bottlerocket setting under `settings.`: the TOML path and, when it matters, the value."""

    path: tuple[str, ...]
    value: Scalar | None = None  # None in `expects`: our user data must not set anything under `path`

    @property
    def dotted(self) -> str:
        return "settings." + ".".join(f'"{p}"' if "." in p else p for p in self.path)


@dataclass(frozen=True)
class OnNode:
    """A known result of `apiclient report cis` that differs from what our configuration achieves."""

    expected: str  # "fail"
    reason: str
    source: str


@dataclass(frozen=True)
class Method:
    by: str
    how: str = ""
    settings: tuple[SettingValue, ...] = ()  # by: setting
    expects: tuple[SettingValue, ...] = ()  # by: stock/manual, guarded against our user data
    on_node: OnNode | None = None


@dataclass(frozen=True)
class BottlerocketControl:
    id: str
    title: str
    level: int
    assessment: str
    check: str  # bloodhound checker name, e.g. br03040101
    met: dict[int, Method]

    def method(self, level: int) -> Method | None:
        """How the control is met at `level`; None when the control does not apply there."""
        return self.met.get(level)


def _setting(raw: Any, where: str, needs_value: bool) -> SettingValue:
    if not isinstance(raw, dict) or not isinstance(raw.get("path"), list) or not raw["path"]:
        raise CatalogError(f"{where}: a setting is {{path: [..], value: ..}}, got {raw!r}")
    value = raw.get("value")
    if needs_value and value is None:
        raise CatalogError(f"{where}: setting {raw['path']} has no value")
    if value is not None and not isinstance(value, str | bool | int):
        raise CatalogError(f"{where}: setting {raw['path']} must have a scalar value, got {value!r}")
    return SettingValue(tuple(str(p) for p in raw["path"]), value)


def _method(raw: Any, where: str, assessment: str) -> Method:
    if not isinstance(raw, dict) or raw.get("by") not in METHODS:
        raise CatalogError(f"{where}: `by` must be one of {', '.join(METHODS)}, got {raw!r}")
    by = raw["by"]
    unknown = set(raw) - {"by", "how", "settings", "expects", "on_node"}
    if unknown:
        raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
    if (by == "manual") != (assessment == "manual"):
        raise CatalogError(f"{where}: a {assessment} recommendation cannot be met by {by!r}")
    settings = tuple(_setting(s, where, True) for s in raw.get("settings") or ())
    if (by == "setting") != bool(settings):
        raise CatalogError(f"{where}: `settings` is required with by: setting and only there")
    if by == "manual" and not raw.get("how"):
        raise CatalogError(f"{where}: a manual recommendation says `how` it is checked")
    on_node = None
    if raw.get("on_node"):
        o = raw["on_node"]
        on_node = OnNode(str(o["expected"]), " ".join(str(o["reason"]).split()), str(o["source"]))
    return Method(
        by=by,
        how=" ".join(str(raw.get("how", "")).split()),
        settings=settings,
        expects=tuple(_setting(s, where, False) for s in raw.get("expects") or ()),
        on_node=on_node,
    )


@cache
def controls() -> tuple[BottlerocketControl, ...]:
    path = CATALOG_DIR / f"{BENCHMARK}.yaml"
    doc = load_yaml(path.read_text())
    base = {c.id: c for c in load_catalog(BENCHMARK)}
    out = []
    for raw in doc["controls"]:
        cid = str(raw["id"])
        where = f"{path.name}: {cid}"
        met_raw = raw.get("met") or {}
        applies = [lv for lv in LEVELS if lv >= int(raw["level"])]
        if sorted(met_raw) != applies:
            raise CatalogError(f"{where}: `met` must say how the control is met at levels {applies}, "
                               f"got {sorted(met_raw)}")
        if not str(raw.get("check", "")).startswith("br"):
            raise CatalogError(f"{where}: `check` must name the bloodhound checker (br...)")
        out.append(
            BottlerocketControl(
                id=cid,
                title=base[cid].title,
                level=base[cid].level,
                assessment=base[cid].assessment,
                check=str(raw["check"]),
                met={lv: _method(m, f"{where} level {lv}", base[cid].assessment) for lv, m in met_raw.items()},
            )
        )
    return tuple(out)


def by_id() -> dict[str, BottlerocketControl]:
    return {c.id: c for c in controls()}


def by_check() -> dict[str, BottlerocketControl]:
    return {c.check: c for c in controls()}


def applied(level: int, excluded: Iterable[str] = (), ip_family: str = "ipv4") -> list[BottlerocketControl]:
    """Controls whose setting or firewall rules a node group of `level` gets.

    Excluded controls keep the stock value; controls excepted in hardening/exceptions.yaml are not applied.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    skip = set(excluded)
    unknown = skip - set(by_id())
    if unknown:
        raise ValueError(f"exclusions for bottlerocket name unknown control ids {sorted(unknown)}; "
                         f"known: {', '.join(sorted(by_id()))}")
    base = {c.id: c for c in load_catalog(BENCHMARK)}
    chosen = []
    for control in controls():
        method = control.method(level)
        if method is None or control.id in skip or base[control.id].exception_for(ip_family, BENCHMARK):
            continue
        if method.by in ("setting", "bootstrap-container"):
            chosen.append(control)
    return chosen


def describe(control_id: str, level: int) -> str:
    """One short cell for `matrix`: how the control is met at `level`."""
    method = by_id()[control_id].method(level)
    if method is None:
        return "-"
    if method.by == "setting":
        first = method.settings[0]
        more = f" (+{len(method.settings) - 1})" if len(method.settings) > 1 else ""
        if first.path[:2] == ("kernel", "sysctl"):
            return f"sysctl {first.path[2]}={_toml_scalar(first.value)}{more}"
        return f"setting {'.'.join(first.path)}={_toml_scalar(first.value)}{more}"
    if method.by == "bootstrap-container":
        return "firewall (bootstrap container)"
    return method.by


def _toml_scalar(value: Scalar | None) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)

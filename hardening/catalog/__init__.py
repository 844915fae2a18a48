"""Load the control catalogues (one YAML file per benchmark) and answer questions about them.

This is the single source of truth for control facts: ids, titles, levels, assessment, and how
each control is met. Everything else (the renderer, `matrix`, config validation, the plan) reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOG_DIR = Path(__file__).resolve().parent
BENCHMARKS = ("al2023", "al2", "bottlerocket")


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    level: int
    assessment: str  # "automated" | "manual"
    implemented: bool = False


@cache
def load_catalog(benchmark: str) -> tuple[Control, ...]:
    if benchmark not in BENCHMARKS:
        raise KeyError(f"unknown benchmark {benchmark!r}; known: {', '.join(BENCHMARKS)}")
    doc = yaml.safe_load((CATALOG_DIR / f"{benchmark}.yaml").read_text())
    return tuple(
        Control(
            id=str(c["id"]),
            title=c["title"],
            level=int(c["level"]),
            assessment=c["assessment"],
            implemented=bool(c.get("audit") or c.get("template") or c.get("exception")),
        )
        for c in doc["controls"]
    )


def known_ids(benchmark: str) -> frozenset[str]:
    return frozenset(c.id for c in load_catalog(benchmark))


def summarize(benchmark: str, level: int, excluded: Iterable[str] = (), ip_family: str = "ipv4") -> dict[str, int]:
    """Counts of what a rendered profile does with the controls of `level` (level 2 includes level 1)."""
    excluded = set(excluded)
    counts = {"applied": 0, "excepted": 0, "manual": 0, "excluded": 0, "not_implemented": 0}
    for control in load_catalog(benchmark):
        if control.level > level:
            continue
        if control.id in excluded:
            counts["excluded"] += 1
        elif control.assessment == "manual":
            counts["manual"] += 1
        elif control.implemented:
            counts["applied"] += 1
        else:
            counts["not_implemented"] += 1
    return counts

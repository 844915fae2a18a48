"""Generated parts of hardening/README.md, from the data they describe.

`python -m hardening.docs` rewrites every `<!-- BEGIN GENERATED: name -->` ... `<!-- END GENERATED: name -->` block
of hardening/README.md (the same markers and renderer as the top-level README, `python -m hardened_eks.docs`);
`--check` exits 1 when it is out of date. Today's block: `cac-differences`, from hardening/cac_differences.yaml.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from hardening.catalog import load_catalog, load_exceptions, load_yaml

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
CAC_DIFFERENCES = HERE / "cac_differences.yaml"

KINDS = {
    "cac-stricter": "CaC stricter than CIS",
    "cac-regex": "CaC regex",
    "cac-scope": "CaC reads other files",
    "firewalld-only": "CaC checks firewalld only",
    "exception": "EKS exception",
    "ours-stricter": "ours stricter",
}
VERDICTS = ("pass", "fail", "excepted", "deferred")


class DocsError(ValueError):
    """The data behind a generated block is wrong; the message names the file, the row and the field."""


@dataclass(frozen=True)
class Difference:
    ids: tuple[str, ...]
    rules: tuple[str, ...]
    kind: str
    ours: str
    cac: str
    cis: str
    why: str
    exception: str | None


def load_differences(path: Path | None = None) -> tuple[str, tuple[Difference, ...]]:
    """(benchmark, rows) from cac_differences.yaml, checked against the catalogue and exceptions.yaml."""
    path = path or CAC_DIFFERENCES
    doc = load_yaml(path.read_text()) or {}
    benchmark = doc.get("benchmark")
    known = {c.id for c in load_catalog(benchmark)}
    excepted = {e.key: set(e.controls.get(benchmark, ())) for e in load_exceptions()}
    rows = []
    for n, row in enumerate(doc.get("rows") or [], start=1):
        where = f"{path.name}: row {n}"
        for field in ("ids", "rules", "kind", "ours", "cac", "cis", "why"):
            if not row.get(field):
                raise DocsError(f"{where}: {field!r} is missing or empty")
        ids = tuple(str(i) for i in row["ids"])
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise DocsError(f"{where}: {', '.join(unknown)} not in catalog/{benchmark}.yaml")
        if row["kind"] not in KINDS:
            raise DocsError(f"{where}: kind {row['kind']!r}; allowed: {', '.join(KINDS)}")
        for side in ("ours", "cac"):
            if row[side] not in VERDICTS:
                raise DocsError(f"{where}: {side} {row[side]!r}; allowed: {', '.join(VERDICTS)}")
        if row["ours"] == row["cac"]:
            raise DocsError(f"{where}: ours and cac agree ({row['ours']}): not a difference")
        exception = row.get("exception")
        if (row["kind"] == "exception") != (exception is not None) or (row["ours"] == "excepted") != (exception is not None):
            raise DocsError(f"{where}: an `exception` row names its exception and is `excepted`, and only it")
        if exception is not None and set(ids) - excepted.get(exception, set()):
            raise DocsError(f"{where}: exceptions.yaml has no {exception!r} for {benchmark} {', '.join(ids)}")
        rows.append(Difference(ids=ids, rules=tuple(row["rules"]), kind=row["kind"], ours=row["ours"],
                               cac=row["cac"], cis=" ".join(str(row["cis"]).split()),
                               why=" ".join(str(row["why"]).split()), exception=exception))
    return benchmark, tuple(rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def cac_differences_table() -> str:
    benchmark, rows = load_differences()
    out = [f"| CIS ({benchmark}) | ComplianceAsCode rules | ours | CaC | kind | what CIS asks (our words) | why |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        kind = KINDS[r.kind] + (f" (`{r.exception}`)" if r.exception else "")
        out.append(f"| {', '.join(r.ids)} | {', '.join(f'`{x}`' for x in r.rules)} | {r.ours} | {r.cac} | {kind} | "
                   f"{_cell(r.cis)} | {_cell(r.why)} |")
    return "\n".join(out)


# hardened_eks.docs picks these up too (its README has no such block; the renderer is shared).
GENERATORS = {"cac-differences": cac_differences_table}


def render(text: str) -> str:
    from hardened_eks.docs import render as render_blocks

    return render_blocks(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardening.docs", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if hardening/README.md is out of date")
    args = parser.parse_args(argv)
    current = README.read_text()
    try:
        wanted = render(current)
    except DocsError as err:
        print(f"docs: {err}", file=sys.stderr)
        return 2
    if args.check:
        if wanted != current:
            print("docs: hardening/README.md is out of date; run `python -m hardening.docs`", file=sys.stderr)
            return 1
        return 0
    README.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())

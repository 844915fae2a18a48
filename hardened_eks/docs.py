"""Generated parts of README.md, so tables never drift from the code they describe.

`python -m hardened_eks.docs` rewrites every block between `<!-- BEGIN GENERATED: name -->` and
`<!-- END GENERATED: name -->`; `--check` exits 1 when README.md is out of date (a test runs it).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from hardened_eks.config import CONFIG_KEYS
from hardened_eks.patterns import PATTERNS, MarketplaceSource, SsmParameterSource

README = Path(__file__).resolve().parent.parent / "README.md"


def patterns_table() -> str:
    rows = ["| pattern | method | benchmark | levels | architectures | source AMI | bootstrap | Kubernetes |",
            "|---|---|---|---|---|---|---|---|"]
    for p in PATTERNS.values():
        if isinstance(p.source, SsmParameterSource):
            source = "SSM `" + p.source.templates["x86_64"].replace("x86_64", "<arch>") + "`"
        elif isinstance(p.source, MarketplaceSource):
            source = "Marketplace: " + "; ".join(f"L{lv} \"{name}\"" for lv, name in p.source.products.items())
        else:
            source = "?"
        k8s = f"up to {p.max_kubernetes_version}" if p.max_kubernetes_version else "all EKS versions"
        rows.append(f"| `{p.name}` | {p.method.value}: {p.description} | {p.benchmark.label} | "
                    f"{', '.join(map(str, p.levels))} | {', '.join(p.architectures)} | {source} | "
                    f"{p.bootstrap.value} | {k8s} |")
    return "\n".join(rows)


def config_table() -> str:
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for doc in CONFIG_KEYS:
        key = doc.key if ":" in doc.key else f"hardened-eks:{doc.key}"
        rows.append(f"| `{key}` | {doc.default} | {doc.meaning} |")
    return "\n".join(rows)


def cost_dev() -> str:
    """What `make up STACK=dev` creates, how long it takes and what it costs (hardened_eks/cost.py)."""
    from hardened_eks.cost import readme_block

    return readme_block("dev")


def cost_summary() -> str:
    from hardened_eks.cost import summary

    return summary("dev")


# Other modules register their own blocks here (name -> generator).
GENERATORS: dict[str, Callable[[], str]] = {"patterns": patterns_table, "config": config_table, "cost-dev": cost_dev,
                                            "cost-summary": cost_summary}


def _extra_generators() -> dict[str, Callable[[], str]]:
    extra: dict[str, Callable[[], str]] = {}
    try:
        from hardening import docs as hardening_docs  # optional: present once the hardening content is

        extra.update(getattr(hardening_docs, "GENERATORS", {}))
    except ImportError:
        pass
    return extra


def render(text: str) -> str:
    generators = {**GENERATORS, **_extra_generators()}

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in generators:
            raise SystemExit(f"docs: README block {name!r} has no generator; known: {', '.join(sorted(generators))}")
        return f"<!-- BEGIN GENERATED: {name} -->\n{generators[name]()}\n<!-- END GENERATED: {name} -->"

    return re.sub(r"<!-- BEGIN GENERATED: ([\w-]+) -->.*?<!-- END GENERATED: \1 -->", replace, text, flags=re.S)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardened_eks.docs", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is out of date")
    args = parser.parse_args(argv)
    current = README.read_text()
    wanted = render(current)
    if args.check:
        if wanted != current:
            print("docs: README.md is out of date; run `python -m hardened_eks.docs`", file=sys.stderr)
            return 1
        return 0
    README.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())

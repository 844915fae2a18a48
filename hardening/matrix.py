"""`python -m hardening matrix`: per benchmark and level, every control and what each pattern does with it.

Patterns and their build methods come from hardened_eks.patterns (the one source of pattern facts).
"""

from __future__ import annotations

from collections.abc import Iterable

from hardening.catalog import Control, benchmark_info, disposition, load_catalog

# What a build method does with a control the catalogue implements.
_ACTION = {
    "harden-eks-optimized": "apply",  # our remediation, then our audit as the gate
    "eks-on-cis-ami": "audit",  # the CIS Marketplace AMI hardens; our audit is the gate
    "stock-settings": "settings",  # hardened by settings, checked by the on-node report
}


def _patterns(benchmark: str) -> list[tuple[str, str]]:
    try:
        from hardened_eks.patterns import patterns_for_benchmark
    except ImportError:  # the hardening package also works on its own
        return [("profile", "harden-eks-optimized")]
    return [(p.name, str(p.method)) for p in patterns_for_benchmark(benchmark)]


def _cell(control: Control, benchmark: str, method: str, ip_family: str, level: int) -> str:
    disp = disposition(control, benchmark, (), ip_family)
    if disp == "applied" and method == "stock-settings":
        from hardening.bottlerocket.catalog import describe  # stock, which setting, or the firewall

        return describe(control.id, level)
    if disp == "applied":
        return _ACTION.get(method, "apply")
    if disp == "excepted":
        exc = control.exception_for(ip_family, benchmark)
        return f"excepted ({exc.key})" if exc else "excepted"
    return {"manual": "manual", "not_implemented": "not implemented"}.get(disp, disp)


def matrix(benchmarks: Iterable[str], fmt: str = "text", ip_family: str = "ipv4") -> str:
    out: list[str] = []
    for benchmark in benchmarks:
        info = benchmark_info(benchmark)
        patterns = _patterns(benchmark)
        controls = load_catalog(benchmark)
        for level in (1, 2):
            rows = [c for c in controls if c.level <= level]
            title = f"{info['name']} {info['version']}: level {level} ({len(rows)} controls, ip family {ip_family})"
            header = ["id", "level", "title", *[p for p, _ in patterns]]
            table = [[c.id, str(c.level), c.title, *[_cell(c, benchmark, m, ip_family, level) for _, m in patterns]]
                     for c in rows]
            if fmt == "markdown":
                out.append(f"### {title}\n")
                out.append("| " + " | ".join(header) + " |")
                out.append("|" + "---|" * len(header))
                out.extend("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table)
            else:
                out.append(title)
                widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
                widths[2] = min(widths[2], 70)
                for row in [header, *table]:
                    cells = [row[i][: widths[i]].ljust(widths[i]) for i in range(len(row))]
                    out.append("  ".join(cells).rstrip())
            out.append("")
    return "\n".join(out)

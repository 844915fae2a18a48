"""Audit timings (a benchmark to run by hand, not a timed test): `python -m hardening.bench [--runs N] [--files N]`.

Renders each benchmark's script at levels 1 and 2, copies the fixture roots of tests/hardening/fixtures (the way
the test harness does) plus a synthetic AL2023 root with --files more files (default 100,000, for the one-pass
file-system scan), runs `audit --root DIR --json` on each --runs times and prints the median seconds per run.
Compare with `oscap xccdf eval` on the same root (see ../shared/reviews/openscap-al2023.md: 1.6-1.8 s for L2).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hardening.render import render

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "hardening" / "fixtures"
ROOTS = {"al2023": "al2023-eks-node", "al2": "al2-eks-node"}


def _copy_root(fixture: str, dest: Path) -> Path:
    from tests.hardening.harness import make_root  # modes and .keep handling as the tests do

    dest.mkdir(parents=True)
    return make_root(dest, fixture)


def _synthetic(root: Path, files: int) -> None:
    per_dir = 1000
    for i in range(0, files, per_dir):
        d = root / "usr/share/synthetic" / f"d{i // per_dir:04d}"
        d.mkdir(parents=True, exist_ok=True)
        for j in range(min(per_dir, files - i)):
            (d / f"f{j:04d}").write_bytes(b"x\n")


def _time_audit(script: Path, root: Path, runs: int) -> float:
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C", "TMPDIR": os.environ.get("TMPDIR", "/tmp")}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(["bash", str(script), "audit", "--root", str(root), "--json"], env=env,
                              capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"audit of {root} exited {proc.returncode}: {proc.stderr[-500:]}")
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardening.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="audits per script and root (median printed)")
    parser.add_argument("--files", type=int, default=100_000, help="extra files in the synthetic root")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.files < 0:
        parser.error("--runs must be at least 1 and --files at least 0")
    with tempfile.TemporaryDirectory(prefix="hardening-bench-") as tmp:
        work = Path(tmp)
        roots = {name: _copy_root(fixture, work / name) for name, fixture in ROOTS.items()}
        synthetic = _copy_root(ROOTS["al2023"], work / "synthetic")
        _synthetic(synthetic, args.files)
        rows = []
        for benchmark, root in roots.items():
            for level in (1, 2):
                script = work / f"{benchmark}-l{level}.sh"
                script.write_text(render(benchmark, level, (), "ipv4", allow_unimplemented=True))
                rows.append((benchmark, level, f"fixture {ROOTS[benchmark]}", _time_audit(script, root, args.runs)))
                if benchmark == "al2023":
                    rows.append((benchmark, level, f"fixture + {args.files} files",
                                 _time_audit(script, synthetic, args.runs)))
    print(f"{'benchmark':10} {'level':5} {'root':34} seconds per audit (median of {args.runs})")
    for benchmark, level, root_name, seconds in rows:
        print(f"{benchmark:10} {level:<5} {root_name:34} {seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

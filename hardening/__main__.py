"""Command line: `python -m hardening render ...` and `python -m hardening matrix ...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hardening.catalog import BENCHMARKS, IP_FAMILIES, CatalogError
from hardening.render import RenderError, render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardening", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render", help="write one self-contained bash hardening script")
    r.add_argument("--benchmark", required=True, choices=BENCHMARKS)
    r.add_argument("--level", required=True, type=int, choices=(1, 2))
    r.add_argument("--exclude", action="append", default=[], metavar="ID", help="control id to exclude (repeatable)")
    r.add_argument("--ip-family", default="ipv4", choices=IP_FAMILIES)
    r.add_argument("--allow-unimplemented", action="store_true",
                   help="render controls nobody has implemented yet as failing instead of refusing")
    r.add_argument("-o", "--output", required=True, help="script path ('-' for stdout)")

    m = sub.add_parser("matrix", help="every control, per benchmark and level, and what each pattern does with it")
    m.add_argument("--benchmark", choices=BENCHMARKS, action="append")
    m.add_argument("--format", choices=("text", "markdown"), default="text")
    m.add_argument("--ip-family", default="ipv4", choices=IP_FAMILIES)

    args = parser.parse_args(argv)
    if args.command == "render":
        try:
            script = render(args.benchmark, args.level, args.exclude, args.ip_family, args.allow_unimplemented)
        except (RenderError, CatalogError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        if args.output == "-":
            sys.stdout.write(script)
        else:
            out = Path(args.output)
            try:
                out.write_text(script)
                out.chmod(0o755)
            except OSError as err:
                hint = " (create the folder first)" if not out.parent.is_dir() else ""
                print(f"error: -o: cannot write {args.output!r}: {err.strerror}{hint}", file=sys.stderr)
                return 2
        return 0

    from hardening.matrix import matrix

    sys.stdout.write(matrix(args.benchmark or list(BENCHMARKS), args.format, args.ip_family))
    return 0


if __name__ == "__main__":
    sys.exit(main())

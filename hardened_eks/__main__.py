"""`python -m hardened_eks <command>`: commands for people who use the stack's results.

consume   print Karpenter EC2NodeClasses, launch templates or Terraform for a stack's hardened AMIs
"""

from __future__ import annotations

import sys

COMMANDS = {"consume": "hardened_eks.consume.cli"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    import importlib

    return importlib.import_module(COMMANDS[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())

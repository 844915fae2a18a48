"""`python -m hardened_eks.ami_build create|update|delete|gate`: run by the HardenedAmi Command and by Packer.

create/update/delete read the build spec from the HARDENED_EKS_AMI_BUILD environment variable and,
for update/delete, the previous output from PULUMI_COMMAND_STDOUT (set by pulumi-command).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hardened_eks.ami_build.spec import SPEC_ENV, BuildSpec, DeletionScope
from hardened_eks.schemas import ResultInvalid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardened_eks.ami_build", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("create", "update", "delete"):
        sub.add_parser(name)
    gate_parser = sub.add_parser("gate", help="compare audit-before.json and audit-after.json of a build folder")
    gate_parser.add_argument("build_dir", type=Path)
    args = parser.parse_args(argv)

    from botocore.exceptions import BotoCoreError, ClientError

    from hardened_eks.ami_build.runner import BuildError, Runner, delete, gate

    try:
        if args.command == "gate":
            return gate(args.build_dir)
        text = os.environ.get(SPEC_ENV)
        if not text:
            raise BuildError(f"{SPEC_ENV} is not set; this command is run by the HardenedAmi component")
        previous = os.environ.get("PULUMI_COMMAND_STDOUT")
        if args.command == "delete":
            # The spec stored at create time, read leniently: this code may be much newer than the build.
            delete(DeletionScope.from_json(text), previous)
            return 0
        runner = Runner(BuildSpec.from_json(text).with_builder(dict(os.environ)))
        if args.command == "create":
            print(runner.create().to_json())
        else:
            print(runner.update(previous).to_json())
        return 0
    except (BuildError, ResultInvalid, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (BotoCoreError, ClientError) as error:
        print(f"error: AWS refused or could not be reached while managing AMIs: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

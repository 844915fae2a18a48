"""`python -m hardened_eks consume --stack S --for karpenter|launch-template|terraform`.

Reads the stack's outputs with `pulumi stack output --json` (the backend `make up` uses), or from `--outputs FILE`
(what that command printed), and prints ready-to-apply material on stdout. Any problem is one line on stderr and
exit status 2.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hardened_eks.consume.render import FORMATS, ConsumeError, Target, entries, select

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
# Pulumi's stack names: letters, digits, hyphens, underscores and dots (optionally org/project/ qualified).
_STACK = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,2}$")


def read_outputs(stack: str, outputs_file: str | None, env: dict[str, str] | None = None) -> dict[str, Any]:
    if outputs_file:
        try:
            text = Path(outputs_file).read_text()
        except OSError as error:
            raise ConsumeError(f"--outputs {outputs_file}: {error.strerror or error}") from None
        where = f"--outputs {outputs_file}"
    else:
        env = dict(os.environ if env is None else env)
        pulumi = shutil.which("pulumi", path=env.get("PATH"))
        if pulumi is None:
            raise ConsumeError("pulumi not found: install the Pulumi CLI (https://www.pulumi.com/docs/install/), or "
                               "pass --outputs FILE with what `pulumi stack output --json` printed")
        from hardened_eks.preflight import backend_url

        env["PULUMI_BACKEND_URL"] = backend_url(env)
        try:
            done = subprocess.run([pulumi, "stack", "output", "--json", "--stack", stack], cwd=PROJECT_DIR, env=env,
                                  capture_output=True, text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            raise ConsumeError(f"`pulumi stack output --stack {stack}` did not answer within 120 s") from None
        if done.returncode != 0:
            first = next((line.strip() for line in done.stderr.splitlines() if line.strip()), "no message")
            raise ConsumeError(f"`pulumi stack output --stack {stack}` failed: {first}")
        text, where = done.stdout, f"`pulumi stack output --stack {stack}`"
    try:
        outputs = json.loads(text)
    except ValueError as error:
        raise ConsumeError(f"{where} is not JSON ({error})") from None
    if not isinstance(outputs, dict):
        raise ConsumeError(f"{where} is a JSON {type(outputs).__name__}, not the object of stack outputs")
    return outputs


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m hardened_eks consume", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stack", required=True, help="the stack whose AMIs to use")
    p.add_argument("--for", dest="format", required=True, choices=sorted(FORMATS), help="what to print")
    p.add_argument("--outputs", metavar="FILE", help="stack outputs as `pulumi stack output --json` prints them")
    p.add_argument("--pattern", action="append", default=[], help="only this pattern (repeatable)")
    p.add_argument("--level", action="append", type=int, default=[], choices=(1, 2), help="only this level")
    p.add_argument("--region", help="AMI and key of this region (default: the stack's; see amiRegions)")
    p.add_argument("--cluster-name", help="Karpenter: fills ${CLUSTER_NAME}; launch-template: required")
    p.add_argument("--node-role", help="Karpenter: the node IAM role (default KarpenterNodeRole-${CLUSTER_NAME})")
    p.add_argument("--api-server-endpoint", help="launch-template: the cluster's https:// endpoint")
    p.add_argument("--certificate-authority", help="launch-template: the cluster's CA data (base64)")
    p.add_argument("--service-cidr", help="launch-template: the cluster's service IPv4 (or IPv6) range")
    p.add_argument("--vpc-cidr", help="Bottlerocket level 2: the cluster VPC's primary IPv4 CIDR (firewall)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if not _STACK.match(args.stack):
            raise ConsumeError(f"--stack {args.stack!r} is not a Pulumi stack name (letters, digits, '-', '_', '.')")
        if args.vpc_cidr is not None:
            try:
                if ipaddress.ip_network(args.vpc_cidr).version != 4:
                    raise ValueError
            except ValueError:
                raise ConsumeError(f"--vpc-cidr {args.vpc_cidr!r} is not an IPv4 CIDR such as 10.0.0.0/16 (the "
                                   "cluster VPC's primary range)") from None
        outputs = read_outputs(args.stack, args.outputs)
        consumers = select(entries(outputs, args.stack), args.pattern, args.level, args.stack)
        target = Target(region=args.region, cluster_name=args.cluster_name, api_server_endpoint=args.api_server_endpoint,
                        certificate_authority=args.certificate_authority, service_cidr=args.service_cidr,
                        vpc_cidr=args.vpc_cidr, node_role=args.node_role)
        sys.stdout.write(FORMATS[args.format](consumers, args.stack, target))
    except ValueError as error:  # ConsumeError, and what the user data renderers refuse
        print(f"consume: {str(error).splitlines()[0] if str(error) else type(error).__name__}", file=sys.stderr)
        return 2
    return 0

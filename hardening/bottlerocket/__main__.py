"""`python -m hardening.bottlerocket firewall|collect`.

firewall  the level-2 firewall, chain by chain, every rule with its reason (for reviewers: CIS 3.4.x.3)
collect   run `apiclient report cis|cis-k8s` on a node group's nodes through SSM and write the result file
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from hardening.bottlerocket import firewall
from hardening.bottlerocket.report import ReportError, collect


def _print_firewall(args: argparse.Namespace) -> None:
    inputs = firewall.FirewallInputs(ip_family=args.ip_family, vpc_cidr=args.vpc_cidr,
                                     vpc_ipv6_cidr=args.vpc_ipv6_cidr, node_port_cidrs=tuple(args.node_port_cidr))
    for rs in firewall.rule_sets(inputs, args.exclude):
        print(f"{rs.tool}")
        for chain in firewall.CHAINS:
            print(f"  {chain} (policy {rs.policies[chain]})")
            for rule in rs.chain(chain):
                print(f"    {' '.join(rule.spec):<70}  {rule.control}: {rule.reason}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardening.bottlerocket", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fw = sub.add_parser("firewall", help="show the level-2 firewall rules with their reasons")
    fw.add_argument("--ip-family", choices=("ipv4", "ipv6"), default="ipv4")
    fw.add_argument("--vpc-cidr", default="10.0.0.0/16")
    fw.add_argument("--vpc-ipv6-cidr")
    fw.add_argument("--node-port-cidr", action="append", default=[], metavar="CIDR")
    fw.add_argument("--exclude", action="append", default=[], metavar="ID")
    co = sub.add_parser("collect", help="collect on-node CIS reports through SSM into the results directory")
    co.add_argument("--stack", required=True)
    co.add_argument("--level", type=int, choices=(1, 2), required=True)
    co.add_argument("--region")
    co.add_argument("--results", default="results")
    args = parser.parse_args(argv)

    if args.command == "firewall":
        try:
            _print_firewall(args)
        except ValueError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        return 0

    import boto3

    from hardened_eks.results import write_result

    session = boto3.Session(region_name=args.region)
    try:
        doc = collect(session.client("ec2"), session.client("ssm"), args.stack, args.level,
                      now=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    except ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if doc is None:
        print(f"error: no running Bottlerocket level-{args.level} node of stack {args.stack}", file=sys.stderr)
        return 1
    path = write_result(args.results, args.stack, "bottlerocket", args.level, "bottlerocket", doc)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

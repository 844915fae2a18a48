"""The one tag scheme on every AMI, snapshot, launch template and instance this program makes.

Inspector's CIS scan targets instances by the scan tag, and the report maps instances back to a
(pattern, level) through the pattern and level tags, so these keys are a contract.
"""

from __future__ import annotations

from collections.abc import Mapping

from hardened_eks.patterns import Pattern

PREFIX = "hardened-eks"
STACK = f"{PREFIX}:stack"
PATTERN = f"{PREFIX}:pattern"
LEVEL = f"{PREFIX}:level"
BENCHMARK = f"{PREFIX}:benchmark"
BENCHMARK_VERSION = f"{PREFIX}:benchmark-version"
BUILD_HASH = f"{PREFIX}:build-hash"
SCAN = f"{PREFIX}:cis-scan"
MANAGED_BY = "managed-by"


def base_tags(stack: str, user_tags: Mapping[str, str]) -> dict[str, str]:
    """Tags for every resource of the stack: the user's, then ours (ours win; config forbids clashes)."""
    return {**user_tags, MANAGED_BY: PREFIX, STACK: stack}


def scan_tag_value(stack: str, level: int) -> str:
    return f"{stack}-level{level}"


def node_tags(stack: str, user_tags: Mapping[str, str], pattern: Pattern, level: int,
              build_hash: str | None = None) -> dict[str, str]:
    """Tags for an AMI, its snapshots, launch template, instances and volumes of one (pattern, level)."""
    tags = {
        **base_tags(stack, user_tags),
        PATTERN: pattern.name,
        LEVEL: str(level),
        BENCHMARK: pattern.benchmark.key,
        BENCHMARK_VERSION: pattern.benchmark.version,
        SCAN: scan_tag_value(stack, level),
    }
    if build_hash:
        tags[BUILD_HASH] = build_hash
    return tags

"""Amazon Inspector: CIS scan configurations (a dynamic provider) and the results the pipeline collects.

Inspector's CIS scans cover Amazon Linux 2 and Amazon Linux 2023 only; Bottlerocket nodes are
reported as "not supported by Inspector", never as zero counts. Package vulnerability findings are
collected for every pattern.
"""

from __future__ import annotations

from hardened_eks import tags
from hardened_eks.patterns import Pattern

# Operating system families (patterns.Pattern.os_family) Inspector's CIS scans can assess.
CIS_SCAN_OS_FAMILIES = frozenset({"al2023", "al2"})
CIS_NOT_SUPPORTED_REASON = "not supported by Inspector: Amazon Inspector CIS scans cover Amazon Linux 2 and 2023 only"


def cis_scan_supported(pattern: Pattern) -> bool:
    return pattern.os_family in CIS_SCAN_OS_FAMILIES


def cis_scan_levels(node_groups: list[tuple[Pattern, int]]) -> list[int]:
    """Levels with at least one node group Inspector can CIS-scan: one scan configuration each."""
    return sorted({level for pattern, level in node_groups if cis_scan_supported(pattern)})


def scan_name(stack: str, level: int) -> str:
    return f"hardened-eks-{tags.scan_tag_value(stack, level)}"


def security_level(level: int) -> str:
    return f"LEVEL_{level}"


def scan_targets(stack: str, level: int, account_id: str) -> dict:
    """Inspector CIS targets: this account's instances carrying the scan tag of (stack, level)."""
    return {"accountIds": [account_id], "targetResourceTags": {tags.SCAN: [tags.scan_tag_value(stack, level)]}}


def output_key(level: int) -> str:
    """How a level's scan configuration ARN is keyed in the stack output `inspectorCisScans`."""
    return f"level-{level}"

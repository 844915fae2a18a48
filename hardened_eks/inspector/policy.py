"""The vulnerability policy: how many days a finding of each severity may stay unfixed.

Config `hardened-eks:vulnerabilityPolicy` is a mapping of severity to days, for example
`{CRITICAL: 30, HIGH: 30, MEDIUM: 90, LOW: 180}`; severities left out keep their default, and `null`
means findings of that severity get no due date. The defaults follow PCI DSS 6.3.3 (critical patches
within one month) and apply the same month to high.

The clock starts when the vulnerability was published (`vendorCreatedAt`), not when Inspector
first saw it on a node: every rebuild replaces the nodes, which would otherwise restart the clock.
A finding with no fix available yet gets no due date (there is nothing to install); it is still
reported and counted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

POLICY_KEY = "hardened-eks:vulnerabilityPolicy"
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED")
DEFAULT_DUE_DAYS: dict[str, int | None] = {"CRITICAL": 30, "HIGH": 30, "MEDIUM": 90, "LOW": 180,
                                           "INFORMATIONAL": None, "UNTRIAGED": None}
MAX_DUE_DAYS = 3650


class PolicyConfigError(ValueError):
    """The vulnerabilityPolicy config is malformed; the message names every bad key and value."""


@dataclass(frozen=True)
class VulnerabilityPolicy:
    due_days: Mapping[str, int | None]

    def due_date(self, severity: str, published: datetime | None, fix_available: str) -> tuple[date | None, str]:
        """The date a finding must be fixed by, and why (the basis, or why there is none)."""
        days = self.due_days.get(severity)
        if days is None:
            return None, f"no remediation deadline for {severity} findings"
        if fix_available == "NO":
            return None, "no fix available yet"
        if published is None:
            return None, "the vulnerability has no publication date"
        return published.date() + timedelta(days=days), f"published {published.date().isoformat()} + {days} days"


def parse_vulnerability_policy(value: Any) -> VulnerabilityPolicy:
    """The policy from the parsed config value (None: defaults); raise PolicyConfigError listing every problem."""
    if value is None:
        return VulnerabilityPolicy(dict(DEFAULT_DUE_DAYS))
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise PolicyConfigError(f"{POLICY_KEY}: {value!r} is not valid; expected a mapping such as "
                                    "{CRITICAL: 30, HIGH: 30, MEDIUM: 90, LOW: 180}") from None
    if not isinstance(value, Mapping):
        raise PolicyConfigError(f"{POLICY_KEY}: {json.dumps(value)} is not valid; expected a mapping of severity "
                                f"({', '.join(SEVERITIES)}) to days")
    problems = []
    due_days = dict(DEFAULT_DUE_DAYS)
    for key, days in value.items():
        where = f"{POLICY_KEY}.{key}"
        if key not in SEVERITIES:
            problems.append(f"{where}: unknown severity; allowed: {', '.join(SEVERITIES)}")
        elif days is None or (isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= MAX_DUE_DAYS):
            due_days[key] = days
        else:
            problems.append(f"{where}: {json.dumps(days)} is not valid; allowed: a whole number of days from 1 to "
                            f"{MAX_DUE_DAYS}, or null for no due date")
    if problems:
        raise PolicyConfigError("\n".join(problems))
    return VulnerabilityPolicy(due_days)

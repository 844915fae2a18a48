"""The hardened-eks policy pack: every rule in rules.py, mandatory, on every stack."""

import sys
from pathlib import Path

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

# The Pulumi CLI runs this file from the pack's own directory, where `policy` is not a package.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from rules import RULES, Rule


def _validation(rule: Rule):
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message in rule.violations(args.resource_type, args.props):
            report_violation(message, args.urn)

    return validate


PolicyPack(
    name="hardened-eks",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[ResourceValidationPolicy(name=rule.name, description=rule.description, validate=_validation(rule))
              for rule in RULES],
)

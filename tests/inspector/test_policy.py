"""The vulnerability policy: config validation and due dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hardened_eks.inspector.policy import DEFAULT_DUE_DAYS, PolicyConfigError, parse_vulnerability_policy

PUBLISHED = datetime(2026, 9, 1, 17, 45, tzinfo=UTC)


def test_defaults_follow_pci_for_critical_and_high():
    policy = parse_vulnerability_policy(None)
    assert dict(policy.due_days) == DEFAULT_DUE_DAYS
    assert policy.due_date("CRITICAL", PUBLISHED, "YES") == (date(2026, 10, 1), "published 2026-09-01 + 30 days")
    assert policy.due_date("LOW", PUBLISHED, "PARTIAL")[0] == date(2027, 2, 28)
    assert policy.due_date("INFORMATIONAL", PUBLISHED, "YES") == (None, "no remediation deadline for INFORMATIONAL "
                                                                        "findings")


def test_no_fix_or_no_publication_date_means_no_due_date():
    policy = parse_vulnerability_policy(None)
    assert policy.due_date("CRITICAL", PUBLISHED, "NO") == (None, "no fix available yet")
    assert policy.due_date("HIGH", None, "YES") == (None, "the vulnerability has no publication date")


def test_config_overrides_some_severities_and_keeps_the_rest():
    policy = parse_vulnerability_policy('{"CRITICAL": 7, "LOW": null}')
    assert policy.due_days["CRITICAL"] == 7 and policy.due_days["LOW"] is None and policy.due_days["HIGH"] == 30


def test_bad_config_names_every_key_value_and_what_is_allowed():
    with pytest.raises(PolicyConfigError) as error:
        parse_vulnerability_policy({"CRITICAL": 0, "HIGH": "30", "SEVERE": 5, "MEDIUM": True})
    message = str(error.value)
    assert "hardened-eks:vulnerabilityPolicy.CRITICAL: 0 is not valid; allowed: a whole number of days from 1 to 3650" \
        in message
    assert 'hardened-eks:vulnerabilityPolicy.HIGH: "30" is not valid' in message
    assert "hardened-eks:vulnerabilityPolicy.MEDIUM: true is not valid" in message
    assert "hardened-eks:vulnerabilityPolicy.SEVERE: unknown severity; allowed: CRITICAL, HIGH, MEDIUM, LOW" in message


@pytest.mark.parametrize("value", ["[30, 90]", "not json", 30])
def test_config_that_is_not_a_mapping_is_refused(value):
    with pytest.raises(PolicyConfigError, match=r"hardened-eks:vulnerabilityPolicy: .* is not valid; expected a mapping"):
        parse_vulnerability_policy(value)

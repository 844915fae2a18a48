"""hardened-eks guardrails: a Pulumi policy pack (run by `pulumi up --policy-pack policy`)."""

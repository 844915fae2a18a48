"""Shared foundation of the hardened-eks Pulumi program: config, pattern registry, tags, result contracts."""

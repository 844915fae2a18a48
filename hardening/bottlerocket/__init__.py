"""Bottlerocket: CIS Bottlerocket v1.0.0 levels 1 and 2 by configuration, without an AMI build.

- `user_data(level, excluded, cluster)`: the node's TOML user data (settings + firewall bootstrap container);
- `firewall`: the level-2 host firewall rules as data and the bootstrap container's script;
- `catalog`: how each recommendation is met per level (hardening/catalog/bottlerocket.yaml);
- `report`: collecting `apiclient report cis|cis-k8s` from nodes and normalising it to schemas/bottlerocket.
"""

from hardening.bottlerocket.userdata import (
    BOOTSTRAP_IMAGE,
    FIREWALL_CONTAINER,
    BottlerocketCluster,
    settings,
    user_data,
)

__all__ = ["BOOTSTRAP_IMAGE", "FIREWALL_CONTAINER", "BottlerocketCluster", "settings", "user_data"]

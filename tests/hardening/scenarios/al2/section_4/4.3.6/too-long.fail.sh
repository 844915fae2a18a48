#!/usr/bin/env bash
sed -i "s/^Defaults    env_reset/Defaults    env_reset,timestamp_timeout=60/" etc/sudoers

#!/bin/bash
# User data of the temporary Packer builder (not of nodes). The build reaches the builder only
# through SSM Session Manager, and some CIS Marketplace images ship without the SSM agent:
# install it from the distribution's own repository when it is missing, then make sure it runs.
set -uo pipefail

if ! rpm -q amazon-ssm-agent >/dev/null 2>&1; then
  if command -v dnf >/dev/null 2>&1; then
    dnf install -y amazon-ssm-agent
  else
    yum install -y amazon-ssm-agent
  fi
fi
systemctl enable amazon-ssm-agent
systemctl restart amazon-ssm-agent

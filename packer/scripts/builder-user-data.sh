#!/bin/bash
# User data of the temporary Packer builder (not of nodes). The build reaches the builder only
# through SSM Session Manager, and some CIS Marketplace images ship without the SSM agent:
# install it from the distribution's own repository when it is missing and start it. An agent the
# image already runs is left alone: restarting it could cut the session Packer is opening.
set -uo pipefail

if ! rpm -q amazon-ssm-agent >/dev/null 2>&1; then
  if command -v dnf >/dev/null 2>&1; then
    dnf install -y amazon-ssm-agent
  else
    yum install -y amazon-ssm-agent
  fi
  systemctl enable --now amazon-ssm-agent
elif ! systemctl is-active --quiet amazon-ssm-agent; then
  systemctl enable --now amazon-ssm-agent
fi

#!/usr/bin/env bash
# shellcheck disable=SC2016  # a literal hash
sed -i 's/^postfix:\*:/postfix:$6$salt$hash:/' etc/shadow

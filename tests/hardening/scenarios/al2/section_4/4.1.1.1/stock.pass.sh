#!/usr/bin/env bash
test -L etc/systemd/system/multi-user.target.wants/crond.service

#!/usr/bin/env bash
rm etc/systemd/system/multi-user.target.wants/chronyd.service

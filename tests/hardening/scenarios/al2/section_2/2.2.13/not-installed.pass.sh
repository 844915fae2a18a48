#!/usr/bin/env bash
test ! -e usr/lib/systemd/system/rsyncd.service

#!/usr/bin/env bash
# systemd's tmp.mount has nodev.
true

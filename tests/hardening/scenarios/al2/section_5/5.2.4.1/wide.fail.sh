#!/usr/bin/env bash
chmod 0755 var/log/audit

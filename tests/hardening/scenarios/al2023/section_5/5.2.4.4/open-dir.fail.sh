#!/usr/bin/env bash
chmod 755 var/log/audit

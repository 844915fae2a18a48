#!/usr/bin/env bash
# Trap: readable as required, but group-writable.
chmod 0644 etc/group
chmod 0664 etc/group

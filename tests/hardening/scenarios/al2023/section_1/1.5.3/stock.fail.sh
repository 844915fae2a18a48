#!/usr/bin/env bash
# coredump.conf has only commented defaults (Storage=external).
true

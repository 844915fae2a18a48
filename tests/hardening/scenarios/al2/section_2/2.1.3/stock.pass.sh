#!/usr/bin/env bash
grep -q '^OPTIONS=""' etc/sysconfig/chronyd

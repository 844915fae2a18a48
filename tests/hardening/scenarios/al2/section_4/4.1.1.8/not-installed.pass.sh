#!/usr/bin/env bash
# expect: not-applicable
rm usr/sbin/crond

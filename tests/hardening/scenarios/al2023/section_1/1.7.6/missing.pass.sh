#!/usr/bin/env bash
# expect: not-applicable
rm etc/issue.net

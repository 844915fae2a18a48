#!/usr/bin/env bash
# expect: deferred
# pam is installed; whether it is the latest needs yum on the running system.
true

#!/usr/bin/env bash
# The compiled-in default (prohibit-password) is not "no".
true

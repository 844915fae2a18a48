#!/usr/bin/env bash
# PASS_MAX_DAYS 99999
true

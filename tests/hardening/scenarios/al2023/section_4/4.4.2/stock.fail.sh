#!/usr/bin/env bash
# authselect profile minimal without with-faillock.
true

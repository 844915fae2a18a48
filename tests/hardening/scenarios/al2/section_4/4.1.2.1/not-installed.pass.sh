#!/usr/bin/env bash
# expect: not-applicable
true

#!/usr/bin/env bash
# apply: deferred
true

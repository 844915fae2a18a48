#!/usr/bin/env bash
# Locked fields ('!!', '*') are not empty.
true

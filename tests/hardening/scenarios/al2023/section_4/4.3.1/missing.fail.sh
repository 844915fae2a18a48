#!/usr/bin/env bash
# apply: deferred
rm usr/bin/sudo

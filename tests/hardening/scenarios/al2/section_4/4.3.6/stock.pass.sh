#!/usr/bin/env bash
# Unset: sudo's default of 5 minutes.
true

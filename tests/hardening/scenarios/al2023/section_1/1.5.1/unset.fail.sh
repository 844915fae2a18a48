#!/usr/bin/env bash
# The kernel default is 2, but nothing pins it.
true

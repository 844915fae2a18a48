#!/usr/bin/env bash
# expect: excepted
true

#!/usr/bin/env bash
# default minlen 9
true

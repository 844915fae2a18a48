#!/usr/bin/env bash
# useradd INACTIVE=-1 (never)
true

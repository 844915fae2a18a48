#!/usr/bin/env bash
# useradd default INACTIVE=-1 (never).
true

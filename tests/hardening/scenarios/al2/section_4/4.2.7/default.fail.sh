#!/usr/bin/env bash
# ClientAliveInterval defaults to 0 (never).
true

#!/usr/bin/env bash
# profile and bashrc set 002/022; login.defs UMASK 022.
true

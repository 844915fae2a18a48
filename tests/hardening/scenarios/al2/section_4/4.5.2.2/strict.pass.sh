#!/usr/bin/env bash
printf 'umask 0077\n' >> root/.bash_profile

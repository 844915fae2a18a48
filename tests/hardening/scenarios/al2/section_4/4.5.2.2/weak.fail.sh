#!/usr/bin/env bash
# Trap: .bashrc (read by .bash_profile) loosens root's umask.
printf 'umask 022\n' >> root/.bashrc

#!/usr/bin/env bash
# Neither dovecot nor cyrus-imapd.
true

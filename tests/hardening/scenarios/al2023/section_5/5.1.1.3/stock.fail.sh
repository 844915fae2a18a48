#!/usr/bin/env bash
# journald.conf has only the commented default (#ForwardToSyslog=no).
true

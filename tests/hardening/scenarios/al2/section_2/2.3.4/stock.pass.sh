#!/usr/bin/env bash
test ! -e usr/bin/telnet

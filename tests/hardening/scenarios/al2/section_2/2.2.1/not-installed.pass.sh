#!/usr/bin/env bash
test ! -e usr/sbin/automount

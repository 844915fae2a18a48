#!/usr/bin/env bash
test ! -e usr/lib/xorg/protocol.txt

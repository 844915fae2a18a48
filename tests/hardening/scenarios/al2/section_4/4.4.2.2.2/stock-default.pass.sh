#!/usr/bin/env bash
# libpwquality 1.2.3's default difok is 5.
true

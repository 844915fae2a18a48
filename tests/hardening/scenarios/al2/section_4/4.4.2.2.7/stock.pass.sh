#!/usr/bin/env bash
# cracklib always runs in libpwquality 1.2.3.
true

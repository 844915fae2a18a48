#!/usr/bin/env bash
# Trap: the owner exists, the group does not.
mkdir -p var/lib/sandbox
chgrp 4343 var/lib/sandbox

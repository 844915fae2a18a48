#!/usr/bin/env bash
# Trap: world-readable as it should be, but writable by its group, and the group is adm.
chmod 0664 etc/passwd
chgrp 4 etc/passwd

#!/usr/bin/env bash
# Trap: readable as required, but group-writable.
printf '/bin/sh\n/bin/bash\n/usr/bin/sh\n/usr/bin/bash\n' > etc/shells
chmod 0644 etc/shells
chmod 0664 etc/shells

#!/usr/bin/env bash
# Trap: the mode is right, the group is not (adm can read logs, not account files).
printf '/bin/sh\n/bin/bash\n/usr/bin/sh\n/usr/bin/bash\n' > etc/shells
chmod 0644 etc/shells
chgrp 4 etc/shells

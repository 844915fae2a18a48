#!/usr/bin/env bash
printf "#!/bin/sh\n" > usr/bin/at; chmod 755 usr/bin/at; install -m 0640 /dev/null etc/at.allow; chgrp 2 etc/at.allow

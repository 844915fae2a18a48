#!/usr/bin/env bash
# Trap: installed and not enabled, but anything (a socket, a dependency) can still start it.
mkdir -p usr/sbin
printf '#!/bin/sh\n' > usr/sbin/named
printf '[Unit]\nDescription=named.service\n[Service]\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/named.service

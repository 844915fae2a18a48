#!/usr/bin/env bash
# apply: deferred
# Trap: httpd is absent, but the second web server is installed.
printf '#!/bin/sh\n' > usr/sbin/nginx

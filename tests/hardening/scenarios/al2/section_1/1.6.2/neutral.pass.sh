#!/usr/bin/env bash
printf 'Authorized use only. Activity may be monitored.\n' > etc/issue

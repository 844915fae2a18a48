#!/usr/bin/env bash
printf 'adm:x:4:ssm-user\n' >> etc/group

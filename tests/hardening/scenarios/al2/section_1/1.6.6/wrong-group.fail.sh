#!/usr/bin/env bash
chown 0:10 etc/issue.net  # gid 10 is wheel in the fixture's /etc/group

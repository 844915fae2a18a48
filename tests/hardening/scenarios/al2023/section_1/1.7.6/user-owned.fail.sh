#!/usr/bin/env bash
chown 1000:1000 etc/issue.net

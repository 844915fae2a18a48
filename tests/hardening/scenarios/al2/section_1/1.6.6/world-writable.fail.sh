#!/usr/bin/env bash
chmod 0666 etc/issue.net

#!/usr/bin/env bash
chmod 664 etc/motd

#!/usr/bin/env bash
chmod 0644 etc/ssh/ssh_host_*_key.pub

#!/usr/bin/env bash
chgrp 101 etc/ssh/ssh_host_*_key; chmod 0640 etc/ssh/ssh_host_*_key

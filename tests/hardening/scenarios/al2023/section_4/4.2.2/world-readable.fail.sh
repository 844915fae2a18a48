#!/usr/bin/env bash
chgrp 101 etc/ssh/ssh_host_ecdsa_key; chmod 0644 etc/ssh/ssh_host_ecdsa_key

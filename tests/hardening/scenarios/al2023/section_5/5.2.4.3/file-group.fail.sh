#!/usr/bin/env bash
chgrp 1000 var/log/audit/audit.log

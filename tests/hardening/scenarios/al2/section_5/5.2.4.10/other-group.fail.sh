#!/usr/bin/env bash
chgrp 4 usr/sbin/aureport

#!/usr/bin/env bash
chgrp 1000 usr/sbin/ausearch

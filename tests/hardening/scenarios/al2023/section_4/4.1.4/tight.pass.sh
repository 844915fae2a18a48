#!/usr/bin/env bash
chmod 700 etc/cron.daily

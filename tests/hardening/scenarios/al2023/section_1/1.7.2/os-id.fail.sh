#!/usr/bin/env bash
printf 'Welcome to this AMZN host\n' > etc/issue

#!/usr/bin/env bash
chown 1000 usr/sbin/ausearch

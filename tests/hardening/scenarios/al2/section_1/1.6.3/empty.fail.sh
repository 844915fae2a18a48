#!/usr/bin/env bash
: > etc/issue.net

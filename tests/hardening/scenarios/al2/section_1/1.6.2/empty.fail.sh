#!/usr/bin/env bash
: > etc/issue

#!/usr/bin/env bash
rm usr/sbin/postfix

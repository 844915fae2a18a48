#!/usr/bin/env bash
rm usr/sbin/rpcbind

#!/usr/bin/env bash
ln -s /dev/null etc/systemd/system/rpcbind.service
ln -s /dev/null etc/systemd/system/rpcbind.socket

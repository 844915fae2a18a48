#!/usr/bin/env bash
# Stock AL2: rpcbind is installed with its socket and service enabled.
test -L etc/systemd/system/sockets.target.wants/rpcbind.socket

#!/usr/bin/env bash
mkdir -p etc/systemd/system/local-fs.target.wants
ln -s /usr/lib/systemd/system/tmp.mount etc/systemd/system/local-fs.target.wants/tmp.mount

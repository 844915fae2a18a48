#!/usr/bin/env bash
sed -i 's/ selinux=1 / selinux=0 /' boot/loader/entries/*.conf

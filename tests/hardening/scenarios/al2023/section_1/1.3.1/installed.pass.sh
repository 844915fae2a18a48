#!/usr/bin/env bash
printf '#!/bin/sh\n' > usr/sbin/aide

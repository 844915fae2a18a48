#!/usr/bin/env bash
# apply: error
# sudo logs nowhere (4.3.3 sets a logfile): there is no file to watch.
true

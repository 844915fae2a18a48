#!/usr/bin/env bash
# max_log_file_action = ROTATE deletes the oldest logs.
true

#!/usr/bin/env bash
# Neither httpd nor nginx.
true

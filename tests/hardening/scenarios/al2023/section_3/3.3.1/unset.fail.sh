#!/usr/bin/env bash
# Nothing sets these on the stock node.
true

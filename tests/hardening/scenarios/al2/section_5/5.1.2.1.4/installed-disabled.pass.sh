#!/usr/bin/env bash
printf '[Unit]\nDescription=Journal Remote Sink Socket\n[Socket]\nListenStream=19532\n[Install]\nWantedBy=sockets.target\n' > usr/lib/systemd/system/systemd-journal-remote.socket

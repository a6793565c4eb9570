#!/bin/sh
# Installs Debian packages the project needs (chromium for the browser tests, python3-venv on a bare machine).
# Usage: sh scripts/apt-install.sh PACKAGE...
set -e
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "$@" >/dev/null

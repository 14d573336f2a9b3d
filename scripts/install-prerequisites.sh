#!/usr/bin/env bash
# Installs what Haven needs on a fresh Debian 12 machine, skipping anything already present.
#   scripts/install-prerequisites.sh            PostgreSQL server, Node.js/npm
#   scripts/install-prerequisites.sh --browser  also Chromium, for the browser tests
set -euo pipefail

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [[ "${1:-}" == "--browser" ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
fi

if [[ ${#need[@]} -gt 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Haven needs these Debian packages: ${need[*]}. Run this script as root (or with sudo)." >&2
    exit 1
  fi
  echo "Installing ${need[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian starts a system-wide cluster when it installs postgresql; Haven runs its own private one.
  if systemctl is-active --quiet postgresql 2>/dev/null; then systemctl stop postgresql || true; fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is needed (dotnet on PATH). See https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

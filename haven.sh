#!/usr/bin/env bash
# Runs a Haven command: serve (default), migrate, seed-demo, audit verify, keys rewrap, register check|import FILE...,
# totp-code KEY.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dll="$here/src/Haven.Web/bin/Release/net10.0/Haven.Web.dll"
if [[ ! -f "$dll" ]]; then
  dotnet build "$here/src/Haven.Web" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
fi
# File arguments (register files) are made absolute before Haven runs from its own folder.
args=()
for arg in "$@"; do
  if [[ -f "$arg" ]]; then args+=("$(realpath "$arg")"); else args+=("$arg"); fi
done
cd "$here/src/Haven.Web"
exec dotnet "$dll" "${args[@]}"

#!/usr/bin/env bash
# Runs a Haven command: serve (default), migrate, seed-demo, audit verify, totp-code KEY.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dll="$here/src/Haven.Web/bin/Release/net10.0/Haven.Web.dll"
if [[ ! -f "$dll" ]]; then
  dotnet build "$here/src/Haven.Web" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
fi
cd "$here/src/Haven.Web"
exec dotnet "$dll" "$@"

#!/usr/bin/env bash
# Runs Haven's benchmarks. Usage: bench/run.sh [people] [queries]   (defaults: 1000000 500)
#   bench/run.sh timeline [notes] [requests]   (defaults: 10000000 50)
#   bench/run.sh retention [records] [disposals]   (defaults: 1000000 100000)
#   bench/run.sh rights [entries] [documents]   (defaults: 10000 200)
#   bench/run.sh cpis [children]   (default: 150000; needs wrk, installed here with apt-get when missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-prerequisites.sh
dotnet build bench/Haven.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
if [ "${1:-}" = "cpis" ]; then
    # The CP-IS benchmark runs Haven itself as a separate process and loads it with wrk.
    dotnet build src/Haven.Web -c Release -nologo -v quiet -clp:ErrorsOnly
    if ! command -v wrk >/dev/null 2>&1; then
        if [ "$(id -u)" = "0" ]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi
    fi
fi
dotnet bench/Haven.Bench/bin/Release/net10.0/Haven.Bench.dll "$@"

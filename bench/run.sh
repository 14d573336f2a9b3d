#!/usr/bin/env bash
# Runs Haven's benchmarks. Usage: bench/run.sh [people] [queries]   (defaults: 1000000 500)
#   bench/run.sh timeline [notes] [requests]   (defaults: 10000000 50)
#   bench/run.sh retention [records] [disposals]   (defaults: 1000000 100000)
#   bench/run.sh rights [entries] [documents]   (defaults: 10000 200)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-prerequisites.sh
dotnet build bench/Haven.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/Haven.Bench/bin/Release/net10.0/Haven.Bench.dll "$@"

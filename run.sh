#!/usr/bin/env bash
# Sets up and runs Haven with demo data on its embedded PostgreSQL cluster.
#   HAVEN_URLS      address to listen on (default http://127.0.0.1:5080)
#   Haven__Database__DataDirectory   where the embedded cluster lives (default /var/lib/haven as root)
#   ConnectionStrings__Haven         use an external PostgreSQL instead (see README)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/install-prerequisites.sh
scripts/build-assets.sh
echo "Building Haven ..."
dotnet build src/Haven.Web -c Release -nologo -v quiet -clp:ErrorsOnly
export HAVEN_URLS="${HAVEN_URLS:-http://127.0.0.1:5080}"

./haven.sh seed-demo
echo
echo "Starting Haven at ${HAVEN_URLS} (press Ctrl+C to stop) ..."
exec ./haven.sh serve

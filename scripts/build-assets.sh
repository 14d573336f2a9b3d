#!/usr/bin/env bash
# Build Haven's front-end assets into src/Haven.Web/wwwroot/assets.
#
#   css/haven.css            compiled from frontend/scss/haven.scss
#   js/haven.js              copied from frontend/js/haven.js
#   js/govuk-frontend.min.js GOV.UK Frontend (ES module) + source map
#   js/moj-frontend.min.js   MOJ Frontend (ES module) + source map
#   fonts/, images/          GOV.UK Frontend and MOJ Frontend static files
#   manifest.json, rebrand/  GOV.UK web app manifest and rebrand images
#
# Safe to run repeatedly and from any directory. Installs npm packages with
# `npm ci` only when node_modules is missing or older than package-lock.json.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

out="src/Haven.Web/wwwroot/assets"
govuk="node_modules/govuk-frontend/dist/govuk"
moj="node_modules/@ministryofjustice/frontend/moj"

# npm touches node_modules/.package-lock.json on every install, so it is a
# reliable "last installed" marker.
if [[ ! -d node_modules || ! -f node_modules/.package-lock.json \
      || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
fi

for required in "$govuk/govuk-frontend.min.js" "$moj/moj-frontend.min.js" node_modules/.bin/sass; do
  if [[ ! -e "$required" ]]; then
    echo "build-assets: missing $required (try deleting node_modules and re-running)" >&2
    exit 1
  fi
done

mkdir -p "$out/css" "$out/js" "$out/fonts" "$out/images"

# Sass: the repository root is a load path because MOJ Frontend refers to
# GOV.UK Frontend as "node_modules/govuk-frontend/...". Warnings from the two
# libraries are silenced; warnings from Haven's own Sass still show.
node_modules/.bin/sass \
  --load-path=. \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  --silence-deprecation=import \
  --silence-deprecation=global-builtin \
  --silence-deprecation=color-functions \
  --silence-deprecation=slash-div \
  --silence-deprecation=if-function \
  frontend/scss/haven.scss "$out/css/haven.css"

# Static files. cp -f overwrites, so re-running is harmless. MOJ images go in
# after GOV.UK's, and neither package ships a file the other also ships.
cp -f "$govuk"/assets/fonts/* "$out/fonts/"
cp -f "$govuk"/assets/images/* "$out/images/"
cp -f "$moj"/assets/images/* "$out/images/"

if [[ -f "$govuk/assets/manifest.json" ]]; then
  cp -f "$govuk/assets/manifest.json" "$out/manifest.json"
fi
# GOV.UK's 2025 brand refresh (used when <html> has govuk-template--rebranded)
# expects its icons and manifest under /assets/rebrand/.
if [[ -d "$govuk/assets/rebrand" ]]; then
  rm -rf "$out/rebrand"
  cp -R "$govuk/assets/rebrand" "$out/rebrand"
fi

# JavaScript: both libraries are self-contained ES modules; haven.js imports
# them from the same folder.
cp -f "$govuk/govuk-frontend.min.js" "$govuk/govuk-frontend.min.js.map" "$out/js/"
cp -f "$moj/moj-frontend.min.js" "$moj/moj-frontend.min.js.map" "$out/js/"
cp -f frontend/js/haven.js "$out/js/haven.js"

echo "assets built in $out"

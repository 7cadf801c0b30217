#!/usr/bin/env bash
# Compiles every app and library to dist/ with swc (path aliases rewritten, decorator metadata kept).
# Type checking is separate: `npm run typecheck`.
#
# Builds into a fresh folder and swaps it in, so stale files never linger and a service being
# started at that moment never sees a half-written dist/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
staging=$(mktemp -d .dist-build.XXXXXX)
trap 'rm -rf "$staging"' EXIT
npx swc apps libs bench scripts test -d "$staging" --config-file .swcrc --copy-files --quiet
old=$(mktemp -d .dist-old.XXXXXX)
[ -d dist ] && mv dist "$old/"
mv "$staging" dist
rm -rf "$old"

#!/usr/bin/env bash
# Compiles every app and library to dist/ with swc (path aliases rewritten, decorator metadata kept).
# Type checking is separate: `npm run typecheck`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rm -rf dist
npx swc apps libs bench scripts -d dist --config-file .swcrc --copy-files --quiet

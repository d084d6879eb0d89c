#!/usr/bin/env bash
# Fails, with one line saying what to do, when dist/ is not exactly what `npm run bundle` just built from the
# checked-out sources: a changed or deleted committed file, or a built file that is not committed.
# Run it right after `npm run bundle` (check-dist and release workflows).
set -euo pipefail
cd "${1:-.}"
if ! git diff --ignore-space-at-eol --text --quiet -- dist/; then
  git diff --ignore-space-at-eol --text --stat -- dist/
  echo "::error::dist/ does not match the sources; run 'npm run bundle' and commit dist/"
  exit 1
fi
untracked="$(git ls-files --others -- dist/)"
if [ -n "$untracked" ]; then
  echo "$untracked"
  echo "::error::dist/ has built files that are not committed; run 'npm run bundle' and commit dist/"
  exit 1
fi
echo "dist/ matches the sources"

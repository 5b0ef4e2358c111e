#!/usr/bin/env bash
# Times `keywarden scan` and `gitleaks` side by side on a generated
# repository with a key of every exchange planted in every bot config
# format, and prints time, recall and false positives for both (see
# scripts/scan-vs-gitleaks/main.go).
#
#   scripts/scan-vs-gitleaks.sh                       # 10,000 files, 1,000 commits, 3 runs
#   scripts/scan-vs-gitleaks.sh -files 1000 -commits 100 -runs 1 -check   # what CI runs
#
# Builds keywarden from this checkout; uses gitleaks from PATH or GOPATH/bin,
# else installs v8.30.1 there with go install.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/keywarden" .
gitleaks=$(command -v gitleaks || true)
if [ -z "$gitleaks" ]; then
  gitleaks="$(go env GOPATH)/bin/gitleaks"
  [ -x "$gitleaks" ] || go install github.com/zricethezav/gitleaks/v8@v8.30.1
fi
go run ./scripts/scan-vs-gitleaks -keywarden "$tmp/keywarden" -gitleaks "$gitleaks" "$@"

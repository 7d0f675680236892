#!/usr/bin/env bash
# Sets up what the tests need (npm packages, .NET packages, Debian chromium), starts Azurite on free ports,
# runs the whole suite, and stops what it started. Exits non-zero on any failure. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
source "$root/scripts/common.sh"

ensure_node_packages
ensure_chromium
ensure_dotnet_restore

azurite_dir=$(mktemp -d)
trap 'stop_started; rm -rf "$azurite_dir"' EXIT
start_azurite "$azurite_dir" "$(free_port)" "$(free_port)" "$(free_port)" --inMemoryPersistence || exit 1
export TEST_AZURITE_CONNECTION_STRING="$AZURITE_CONNECTION_STRING"

results="$root/.local/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
dotnet test Serverless.sln --no-restore --logger "console;verbosity=minimal" --logger trx --results-directory "$results" "$@" || status=$?
summarize_trx "$results"
exit $status

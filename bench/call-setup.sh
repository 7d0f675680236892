#!/usr/bin/env bash
# Runs the call lifecycle benchmark on this machine: Azurite (in memory, free ports) and then the benchmark, which
# hosts the function app (Release), the fake Meta and the agents' SignalR consoles in its own process.
# Usage: bench/call-setup.sh [--calls 50] [--warmup 5] [--burst 20] [--gap-ms 3000] [--poll default|tuned|both] [--tuned-ms 100] [--seed 1]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_node_packages
dotnet build bench/CallSetup.Bench -c Release -v quiet -nologo
dir=$(mktemp -d)
trap 'stop_started; rm -rf "$dir"' EXIT
start_azurite "$dir" "$(free_port)" "$(free_port)" "$(free_port)" --inMemoryPersistence
TEST_AZURITE_CONNECTION_STRING="$AZURITE_CONNECTION_STRING" dotnet bench/CallSetup.Bench/bin/Release/net10.0/CallSetup.Bench.dll "$@"

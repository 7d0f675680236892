#!/usr/bin/env bash
# Runs the webhook acknowledgement benchmark on this machine: Azurite (in memory) and the function app (Release,
# local trigger host off so only the intake is measured) on free ports, then the open-loop load client.
# Usage: bench/webhook-ingest.sh [seconds-per-rate] [rates]   e.g. bench/webhook-ingest.sh 10 100,250,500,750
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_node_packages
dotnet build functions/FunctionApp -c Release -v quiet -nologo
dotnet build bench/WebhookIngest.Bench -c Release -v quiet -nologo
dir=$(mktemp -d)
trap 'stop_started; rm -rf "$dir"' EXIT
start_azurite "$dir" "$(free_port)" "$(free_port)" "$(free_port)" --inMemoryPersistence
port=$(free_port)
AzureWebJobsStorage="$AZURITE_CONNECTION_STRING" WhatsApp__AppSecret=bench-secret WhatsApp__VerifyToken=bench \
  WhatsApp__AccessToken=bench WhatsApp__GraphBaseUrl=http://127.0.0.1:9 LocalTriggers__Enabled=false \
  Logging__LogLevel__Default=Warning LOCAL_SETTINGS_PATH=none ASPNETCORE_URLS="http://127.0.0.1:$port" \
  dotnet functions/FunctionApp/bin/Release/net10.0/handler.dll >"$dir/app.log" 2>&1 &
started_pids+=($!)
wait_for_http "http://127.0.0.1:$port/api/health"
dotnet bench/WebhookIngest.Bench/bin/Release/net10.0/WebhookIngest.Bench.dll "http://127.0.0.1:$port/" "$AZURITE_CONNECTION_STRING" bench-secret "${1:-10}" "${2:-100,250,500,750}"

#!/usr/bin/env bash
# Sets up and runs the system locally: Azurite (data under .azurite/), the function app and the media relay.
# Ctrl-C (or SIGTERM) stops all of them. Ports: FUNCTIONS_PORT (7071), RELAY_PORT (7080),
# AZURITE_BLOB_PORT/AZURITE_QUEUE_PORT/AZURITE_TABLE_PORT (10000/10001/10002).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
source "$root/scripts/common.sh"

functions_port=${FUNCTIONS_PORT:-7071}
relay_port=${RELAY_PORT:-7080}
blob_port=${AZURITE_BLOB_PORT:-10000}
queue_port=${AZURITE_QUEUE_PORT:-10001}
table_port=${AZURITE_TABLE_PORT:-10002}

ensure_node_packages
ensure_dotnet_restore
[ -f local.settings.json ] || { log "Creating local.settings.json from local.settings.sample.json"; cp local.settings.sample.json local.settings.json; }

log "Building"
dotnet build functions/FunctionApp/WhatsAppCalling.FunctionApp.csproj --no-restore -v quiet -nologo
dotnet build media-relay/Relay/MediaRelay.csproj --no-restore -v quiet -nologo

shutdown() { trap - INT TERM EXIT; log "Stopping"; stop_started; exit 0; }
trap shutdown INT TERM EXIT

mkdir -p .azurite
start_azurite "$root/.azurite" "$blob_port" "$queue_port" "$table_port"
export AzureWebJobsStorage="$AZURITE_CONNECTION_STRING"
export ASPNETCORE_ENVIRONMENT=Development AZURE_FUNCTIONS_ENVIRONMENT=Development
export LOCAL_SETTINGS_PATH="$root/local.settings.json"

log "Starting the media relay on http://localhost:$relay_port"
# The relay refuses to start without its key; these match local.settings.sample.json (RELAY_API_KEY overrides).
Relay__ApiKey="${RELAY_API_KEY:-dev-relay-key-change-me}" Relay__BrowserUdpPort=50000 Relay__MetaPortRange=50001-50999 \
  Relay__FunctionAppUrl="http://localhost:$functions_port" Relay__RecordingStorageConnectionString="$AZURITE_CONNECTION_STRING" \
  ASPNETCORE_URLS="http://localhost:$relay_port" dotnet media-relay/Relay/bin/Debug/net10.0/MediaRelay.dll &
started_pids+=($!)

log "Starting the function app on http://localhost:$functions_port"
ASPNETCORE_URLS="http://localhost:$functions_port" dotnet functions/FunctionApp/bin/Debug/net10.0/handler.dll &
started_pids+=($!)

wait_for_http "http://localhost:$relay_port/health"
wait_for_http "http://localhost:$functions_port/api/health"
cat <<TXT

  Function app   http://localhost:$functions_port/api/health
  Media relay    http://localhost:$relay_port/health
  Azurite        blob $blob_port, queue $queue_port, table $table_port (data in .azurite/)

  Press Ctrl-C to stop.
TXT
wait -n "${started_pids[@]}" || true
log "A process exited"
shutdown

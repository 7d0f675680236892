# Shared by run.sh and test.sh: install what is missing, pick free ports, start and stop background processes.
# shellcheck shell=bash

started_pids=()

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

ensure_node_packages() {
  if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "Installing npm packages (Azurite, werift, SignalR client)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then return 0; fi
  log "Installing Debian chromium for browser and WebRTC tests"
  if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    echo "chromium is missing and could not be installed (apt not allowed here); browser tests will fail." >&2
  fi
}

ensure_dotnet_restore() {
  log "Restoring .NET packages"
  dotnet restore Serverless.sln --verbosity quiet
}

# start_azurite <data-dir> <blob-port> <queue-port> <table-port> [extra azurite flags...]
start_azurite() {
  local dir=$1 blob=$2 queue=$3 table=$4; shift 4
  log "Starting Azurite (blob $blob, queue $queue, table $table)"
  local location=(--location "$dir")
  # Azurite refuses --location together with --inMemoryPersistence.
  [[ " $* " == *" --inMemoryPersistence "* ]] && location=()
  node_modules/.bin/azurite --silent --loose --skipApiVersionCheck --disableTelemetry "${location[@]}" \
    --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" "$@" >"$dir/azurite.log" 2>&1 &
  started_pids+=($!)
  if ! { wait_for_port "$blob" && wait_for_port "$queue" && wait_for_port "$table"; }; then
    echo "Azurite did not start; its log:" >&2
    cat "$dir/azurite.log" >&2 || true
    return 1
  fi
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  export AZURITE_CONNECTION_STRING
}

wait_for_port() {
  local port=$1 tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    # Generous: a cold Node start on a busy 2-core machine can take tens of seconds.
    if [ $tries -gt 1200 ]; then echo "port $port did not open" >&2; return 1; fi
    sleep 0.1
  done
}

wait_for_http() {
  local url=$1 tries=0
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    tries=$((tries + 1))
    if [ $tries -gt 600 ]; then echo "$url did not answer 200" >&2; return 1; fi
    sleep 0.2
  done
}

stop_started() {
  local pid
  for pid in "${started_pids[@]:-}"; do
    [ -n "$pid" ] || continue
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${started_pids[@]:-}"; do
    [ -n "$pid" ] || continue
    wait "$pid" 2>/dev/null || true
  done
  started_pids=()
}

# Prints "N passed, N failed, N skipped" from the TRX files of a dotnet test run.
summarize_trx() {
  python3 - "$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)); s += int(c.get("notExecuted", 0))
print(f"{p} passed, {f} failed, {s} skipped")
PY
}

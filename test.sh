#!/usr/bin/env bash
# The test command: installs what the tests drive for real when it is missing, then runs `dotnet test`.
# Works on a fresh Debian machine that has only the .NET SDK (apt as root, sudo otherwise). Arguments go to
# `dotnet test` (e.g. ./test.sh --filter "FullyQualifiedName~Revocation").
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '[test.sh] %s\n' "$*" >&2; }

# openssl: the OCSP responder specs; nginx-light + its stream module: edge/passthrough proxy specs;
# postgresql: the scale-out specs (each spec starts its own server in a temporary folder); prometheus: its promtool
# checks the alert rules in deploy/prometheus.
need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || need+=(libnginx-mod-stream)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)

if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "missing ${need[*]} and not root (no sudo): install them, then run dotnet test"; exit 1; }
    sudo_cmd=(sudo)
  fi
  log "installing: ${need[*]}"
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null || log "warning: apt-get update failed; trying the install with the lists at hand"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The packaged services must not hold ports or run as daemons: the tests start their own instances.
  for service in nginx postgresql prometheus; do
    "${sudo_cmd[@]}" systemctl stop "$service" >/dev/null 2>&1 || "${sudo_cmd[@]}" service "$service" stop >/dev/null 2>&1 || true
  done
fi

command -v dotnet >/dev/null 2>&1 || { log "the .NET SDK (dotnet) is not on PATH"; exit 1; }
# The fast lane first (decisions and parsers, no sockets: seconds), then the end-to-end project (real Kestrel, TLS,
# nginx, PostgreSQL). A wrong reason code stops the run before any server starts.
dotnet build --nologo -v quiet
dotnet test --no-build tests/MtlsAuthServer.Specs "$@"
dotnet test --no-build tests/MtlsAuthServer.Tests "$@"

#!/usr/bin/env bash
# Benchmark: token issuance and bound-token checks, side by side with a bare Kestrel mTLS endpoint (the ceiling)
# and the peer server (node oidc-provider), in one run on one machine. Not part of `dotnet test`.
#
# usage: bench/run.sh [-d SECONDS] [-r REPEATS] [--skip-peer]
#   -d  measured seconds per mode (default 15, after a 3 s warm-up)
#   -r  repetitions of each measurement; the median is reported (default 1)
#   -w  unrecorded warm-up seconds per server before its measurements (default 30: .NET tiers up for ~30 s of load)
#   --only tokens|api|many  run one part (the report covers what ran); many: 10,000 registered clients, load
#                    spread over MANY_CERTS (default 200) client certificates vs one, same connections (issue 14)
# env:  BENCH_DIR (scratch, default /tmp/mtls-bench), SHARED (default ../shared beside the repository),
#       BENCH_BODY (the token request's form body; default names scope=api:read),
#       MANY_CERTS / MANY_REGISTERED (many-clients part: certificates in use, clients registered; 200 / 10000)
# out:  bench/results/latest.json and latest.md (git-ignored), and the table on stdout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$(cd "$repo/../shared" && pwd)}
work=${BENCH_DIR:-/tmp/mtls-bench}
duration=15; repeats=1; skip_peer=0; warmup=30; only=all
while [ $# -gt 0 ]; do
  case "$1" in
    -d) duration=$2; shift 2 ;;
    -r) repeats=$2; shift 2 ;;
    -w) warmup=$2; shift 2 ;;
    --skip-peer) skip_peer=1; shift ;;
    --only) only=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
loadgen="$shared/bench/loadgen/loadgen.js"
pki="$work/pki"
results="$work/raw"
mkdir -p "$work" "$results" "$repo/bench/results"
rm -f "$results"/*.json "$work/many-startup.json"
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
say() { printf '\n== %s\n' "$*" >&2; }

wait_port() { # host port: bounded wait until something listens
  for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && { exec 3>&- 3<&-; return 0; }; sleep 0.2; done
  echo "nothing listens on $1:$2" >&2; return 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# name url mode conns pid [extra loadgen args...]: runs loadgen `repeats` times, keeps every run
measure() {
  local name=$1 url=$2 mode=$3 conns=$4 pid=$5; shift 5
  for i in $(seq 1 "$repeats"); do
    node "$loadgen" --url "$url" --cert "$pki/client1.fullchain.pem" --key "$pki/client1.key" --ca "$pki/root.crt" \
      --mode "$mode" -c "$conns" -d "$duration" --warmup 3 --server-pid "$pid" --json "$@" \
      > "$results/$name.$mode.c$conns.$i.json"
    printf '  %-28s %-9s c=%-3s %s\n' "$name" "$mode" "$conns" "$(grep -o '"rps":[0-9]*' "$results/$name.$mode.c$conns.$i.json")" >&2
  done
}
warm_up() { # url pid [loadgen args]: unrecorded load so every server (.NET tiered JIT, V8) runs its optimized code
  local url=$1 pid=$2; shift 2
  node "$loadgen" --url "$url" --cert "$pki/client1.fullchain.pem" --key "$pki/client1.key" --ca "$pki/root.crt" \
    --mode keepalive -c 32 -d "$warmup" --warmup 0 --server-pid "$pid" --json "$@" > /dev/null || true
}

say "PKI (ECDSA P-256, $pki) and CRLs"
bash "$shared/bench/pki/make-pki.sh" "$pki" >/dev/null 2>&1
( cd "$pki"
  printf '[ca]\ndefault_ca=d\n[d]\ndatabase=./index.txt\ncrlnumber=./crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n' > crl.cnf
  : > index.txt
  for ca in int root; do echo 01 > crlnumber; openssl ca -config crl.cnf -gencrl -keyfile $ca.key -cert $ca.crt -out $ca.crl.pem 2>/dev/null; done )

say "build (Release)"
rm -rf "$work/token-server" "$work/resource-api" # no stale files from an earlier build
dotnet publish "$repo/src/MtlsAuthServer" -c Release -o "$work/token-server" --nologo -v q >/dev/null
dotnet publish "$repo/src/MtlsAuthServer.ResourceApi" -c Release -o "$work/resource-api" --nologo -v q >/dev/null
bash "$shared/bench/kestrel-baseline/setup.sh" "$work/kestrel-baseline" >/dev/null
rm -rf "$work/openiddict-floor"
dotnet publish "$repo/bench/openiddict-floor" -c Release -o "$work/openiddict-floor" --nologo -v q >/dev/null
if [ $skip_peer -eq 0 ]; then bash "$shared/bench/peer-oidc-provider/setup.sh" "$work/peer" >/dev/null 2>&1; fi

# ---------------------------------------------------------------------------------------- token server
# The servers run their default configuration (issue 14) but for addresses, keys and PKI: logging at its default level
# (one audit line and one request line per token, to a file here), metrics and revocation on.
token_server() { # storage (Database | SelfContained) mtls-port public-port management-port [content-root with the clients]
  rm -rf "$work/data-$1"; mkdir -p "$work/data-$1"
  local root=${5:-$work/token-server} clients=()
  [ -n "${5:-}" ] || clients=(Clients__0__client_id=client1 Clients__0__tls_client_auth_san_dns=client1.example Clients__0__scope=api:read
    Clients__1__client_id=sample-resource-api Clients__1__tls_client_auth_san_dns=client2.example)
  [ -f "$work/sign.key" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/sign.key" 2>/dev/null
  [ -f "$work/enc.key" ] || head -c 32 /dev/urandom | base64 > "$work/enc.key"
  ( cd "$root"
    exec env ASPNETCORE_ENVIRONMENT=Production \
    Listeners__Mtls="https://127.0.0.1:$2" Listeners__Public="https://127.0.0.1:$3" Listeners__Management="http://127.0.0.1:$4" \
    ServerCertificate__Path="$pki/server.fullchain.pem" ServerCertificate__KeyPath="$pki/server.key" \
    TrustAnchors__Path="$pki/root.crt" TrustAnchors__IntermediatesPath="$pki/int.crt" \
    Revocation__Mode=Offline Revocation__CrlFiles__0="$pki/int.crl.pem" Revocation__CrlFiles__1="$pki/root.crl.pem" \
    Tokens__SigningKey__Path="$work/sign.key" Tokens__EncryptionKeyPath="$work/enc.key" Tokens__AccessTokenLifetime=01:00:00 \
    Tokens__Storage="$1" \
    Database__ConnectionString="Data Source=$work/data-$1/auth.db" \
    Scopes__0__Name=api:read Scopes__0__Resources__0=sample-resource-api \
    "${clients[@]}" \
    "$work/token-server/MtlsAuthServer" ) > "$work/token-server-$1.log" 2>&1 &
  echo $!
}

# Real clients name their scopes (issue 14): the default request does too. BENCH_BODY overrides it (e.g. without scope).
body=${BENCH_BODY:-'grant_type=client_credentials&client_id=client1&scope=api:read'}
if [ "$only" = all ] || [ "$only" = tokens ]; then
  say "token endpoints: ours (Database, SelfContained), the ceiling and the peer, side by side, measured in turns"
  declare -A url tpid
  tpid[ours-Database]=$(token_server Database 9443 9444 9081); url[ours-Database]=https://127.0.0.1:9443/token
  tpid[ours-SelfContained]=$(token_server SelfContained 9453 9454 9091); url[ours-SelfContained]=https://127.0.0.1:9453/token
  ( PKI="$pki" PORT=8445 ASPNETCORE_ENVIRONMENT=Production exec "$work/kestrel-baseline/out/kestrel-baseline" ) > "$work/kestrel.log" 2>&1 &
  tpid[ceiling]=$!; url[ceiling]=https://127.0.0.1:8445/token
  # OpenIddict issuing a bare JWT behind the ceiling's TLS: the most any OpenIddict-based server can do here.
  ( PKI="$pki" PORT=8449 SIGNING_KEY="$work/sign.key" ASPNETCORE_ENVIRONMENT=Production exec "$work/openiddict-floor/openiddict-floor" ) \
    > "$work/openiddict-floor.log" 2>&1 &
  tpid[openiddict-floor]=$!; url[openiddict-floor]=https://127.0.0.1:8449/token
  servers=(ours-Database ours-SelfContained openiddict-floor ceiling)
  if [ $skip_peer -eq 0 ]; then
    ( cd "$work/peer" && NODE_ENV=production PKI="$pki" PORT=8447 exec node server.js ) > "$work/peer.log" 2>&1 &
    tpid[peer]=$!; url[peer]=https://127.0.0.1:8447/token; servers+=(peer)
  fi
  for name in "${servers[@]}"; do
    pids+=("${tpid[$name]}"); port=${url[$name]#https://127.0.0.1:}; wait_port 127.0.0.1 "${port%%/*}"
    warm_up "${url[$name]}" "${tpid[$name]}" --method POST --body "$body" --expect-body access_token
  done
  saved_repeats=$repeats; repeats=1
  for round in $(seq 1 "$saved_repeats"); do
    for mode in "keepalive 16" "keepalive 64" "newconn 16" "resume 16"; do
      set -- $mode
      for name in "${servers[@]}"; do
        measure "$name" "${url[$name]}" "$1" "$2" "${tpid[$name]}" --method POST --body "$body" --expect-body access_token
        mv "$results/$name.$1.c$2.1.json" "$results/$name.$1.c$2.r$round.json"
      done
    done
  done
  repeats=$saved_repeats
  for name in "${servers[@]}"; do stop "${tpid[$name]}"; done
fi

# ---------------------------------------------------------------------------------------- resource API
if [ "$only" = all ] || [ "$only" = many ]; then
  many_certs=${MANY_CERTS:-200}; many_registered=${MANY_REGISTERED:-10000}
  say "many clients: $many_registered registered, load over $many_certs client certificates vs one (ours, Database)"
  bash "$repo/bench/many-clients-setup.sh" "$pki" "$many_certs" "$many_registered" "$work/many-root" "$work/token-server/appsettings.json"
  started=$(date +%s%N)
  pid_many=$(token_server Database 9463 9464 9465 "$work/many-root"); pids+=("$pid_many")
  for _ in $(seq 1 1200); do # a first start registers every client in the empty database: bounded wait for readiness
    [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9465/health/ready)" = 200 ] && break; sleep 0.5
  done
  startup_s=$(awk -v ns=$(( $(date +%s%N) - started )) 'BEGIN { printf "%.1f", ns / 1e9 }')
  startup_mib=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$pid_many/status")
  printf '{"registered": %s, "secondsToReady": %s, "peakRssMiB": %s}\n' "$many_registered" "$startup_s" "$startup_mib" > "$work/many-startup.json"
  printf '  first start with %s registered clients (empty database): ready after %s s, peak RSS %s MiB\n' \
    "$many_registered" "$startup_s" "$startup_mib" >&2
  many_load() { # label inflight extra-args...: one-cert or many-cert run over the same MANY_CERTS connections
    local label=$1 inflight=$2; shift 2
    node "$repo/bench/many-clients-load.js" --url https://127.0.0.1:9463/token --pki "$pki/many" --ca "$pki/root.crt" \
      --clients "$many_certs" --inflight "$inflight" --server-pid "$pid_many" --json \
      --body 'grant_type=client_credentials&client_id=client{i}&scope=api:read' --expect-body access_token "$@"
  }
  many_load warm-up 32 -d "$warmup" --warmup 0 > /dev/null
  for round in $(seq 1 "$repeats"); do
    for inflight in 16 64; do # in turns, so machine noise hits both alike
      many_load many "$inflight" -d "$duration" > "$results/many-clients.keepalive.c$inflight.r$round.json"
      many_load one "$inflight" -d "$duration" --same-certificate > "$results/many-one-client.keepalive.c$inflight.r$round.json"
      printf '  many-clients c=%-3s %s | one client %s\n' "$inflight" "$(grep -o '"rps":[0-9]*' "$results/many-clients.keepalive.c$inflight.r$round.json")" \
        "$(grep -o '"rps":[0-9]*' "$results/many-one-client.keepalive.c$inflight.r$round.json")" >&2
    done
  done
  stop "$pid_many"
fi

if [ "$only" = all ] || [ "$only" = api ]; then
say "resource API: local JWT, introspection, binding enforcement off"
pid_ts=$(token_server Database 9443 9444 9081); pids+=("$pid_ts"); wait_port 127.0.0.1 9443
token=$(curl -s --cert "$pki/client1.fullchain.pem" --key "$pki/client1.key" --cacert "$pki/root.crt" \
  -d grant_type=client_credentials -d client_id=client1 -d scope=api:read https://127.0.0.1:9443/token | grep -o '"access_token": *"[^"]*"' | cut -d'"' -f4)
[ -n "$token" ] || { echo "no token from the token server" >&2; exit 1; }
resource_api() { # port mode binding
  ( cd "$work/resource-api"
    ASPNETCORE_ENVIRONMENT=Production Listener__Url="https://127.0.0.1:$1" ResourceMetadata__Resource="https://127.0.0.1:$1/" \
    ServerCertificate__Path="$pki/server.fullchain.pem" ServerCertificate__KeyPath="$pki/server.key" \
    TrustAnchors__Path="$pki/root.crt" TrustAnchors__IntermediatesPath="$pki/int.crt" \
    TokenValidation__Issuer=https://127.0.0.1:9444/ TokenValidation__Mode="$2" TokenValidation__EnforceCertificateBinding="$3" \
    TokenValidation__Introspection__CertificatePath="$pki/client2.crt" TokenValidation__Introspection__KeyPath="$pki/client2.key" \
    exec ./MtlsAuthServer.ResourceApi ) > "$work/resource-api-$1.log" 2>&1 &
  echo $!
}
# The three variants run side by side (an idle one costs nothing) and are measured in turns, so machine noise hits
# them alike: the binding cost is a difference of a few percent.
declare -A api_pid
for variant in "9445 Local true" "9446 Local false" "9447 Introspection true"; do
  set -- $variant
  api_pid[$1]=$(resource_api "$1" "$2" "$3"); pids+=("${api_pid[$1]}"); wait_port 127.0.0.1 "$1"
  warm_up "https://127.0.0.1:$1/api/whoami" "${api_pid[$1]}" --method GET -H "Authorization: Bearer $token" --expect-body client_id
done
saved_repeats=$repeats; repeats=1
for round in $(seq 1 "$saved_repeats"); do
  for variant in "9445 Local true" "9446 Local false" "9447 Introspection true"; do
    set -- $variant
    measure "api-$2-binding-$3" "https://127.0.0.1:$1/api/whoami" keepalive 16 "${api_pid[$1]}" --method GET \
      -H "Authorization: Bearer $token" --expect-body client_id
    mv "$results/api-$2-binding-$3.keepalive.c16.1.json" "$results/api-$2-binding-$3.keepalive.c16.r$round.json"
  done
done
repeats=$saved_repeats
for port in 9445 9446 9447; do stop "${api_pid[$port]}"; done
stop "$pid_ts"
fi

say "report"
python3 "$repo/bench/report.py" "$results" "$repo/bench/results" --duration "$duration" --repeats "$repeats" \
  $( [ -f "$work/many-startup.json" ] && echo --startup "$work/many-startup.json" )

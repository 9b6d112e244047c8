#!/usr/bin/env bash
# Benchmark: token issuance and bound-token checks, side by side with a bare Kestrel mTLS endpoint (the ceiling)
# and the peer server (node oidc-provider), in one run on one machine. Not part of `dotnet test`.
#
# usage: bench/run.sh [-d SECONDS] [-r REPEATS] [--skip-peer]
#   -d  measured seconds per mode (default 15, after a 3 s warm-up)
#   -r  repetitions of each measurement; the median is reported (default 1)
# env:  BENCH_DIR (scratch, default /tmp/mtls-bench), SHARED (default ../shared beside the repository)
# out:  bench/results/latest.json and latest.md (git-ignored), and the table on stdout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$(cd "$repo/../shared" && pwd)}
work=${BENCH_DIR:-/tmp/mtls-bench}
duration=15; repeats=1; skip_peer=0
while [ $# -gt 0 ]; do
  case "$1" in
    -d) duration=$2; shift 2 ;;
    -r) repeats=$2; shift 2 ;;
    --skip-peer) skip_peer=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
loadgen="$shared/bench/loadgen/loadgen.js"
pki="$work/pki"
results="$work/raw"
mkdir -p "$work" "$results" "$repo/bench/results"
rm -f "$results"/*.json
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
token_modes() { # name url pid body
  local name=$1 url=$2 pid=$3 body=$4
  measure "$name" "$url" keepalive 16 "$pid" --method POST --body "$body" --expect-body access_token
  measure "$name" "$url" keepalive 64 "$pid" --method POST --body "$body" --expect-body access_token
  measure "$name" "$url" newconn 16 "$pid" --method POST --body "$body" --expect-body access_token
  measure "$name" "$url" resume 16 "$pid" --method POST --body "$body" --expect-body access_token
}

say "PKI (ECDSA P-256, $pki) and CRLs"
bash "$shared/bench/pki/make-pki.sh" "$pki" >/dev/null 2>&1
( cd "$pki"
  printf '[ca]\ndefault_ca=d\n[d]\ndatabase=./index.txt\ncrlnumber=./crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n' > crl.cnf
  : > index.txt
  for ca in int root; do echo 01 > crlnumber; openssl ca -config crl.cnf -gencrl -keyfile $ca.key -cert $ca.crt -out $ca.crl.pem 2>/dev/null; done )

say "build (Release)"
dotnet publish "$repo/src/MtlsAuthServer" -c Release -o "$work/token-server" --nologo -v q >/dev/null
dotnet publish "$repo/src/MtlsAuthServer.ResourceApi" -c Release -o "$work/resource-api" --nologo -v q >/dev/null
bash "$shared/bench/kestrel-baseline/setup.sh" "$work/kestrel-baseline" >/dev/null
if [ $skip_peer -eq 0 ]; then bash "$shared/bench/peer-oidc-provider/setup.sh" "$work/peer" >/dev/null 2>&1; fi

# ---------------------------------------------------------------------------------------- token server
token_server() { # storage: Database | SelfContained
  rm -rf "$work/data"; mkdir -p "$work/data"
  [ -f "$work/sign.key" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/sign.key" 2>/dev/null
  [ -f "$work/enc.key" ] || head -c 32 /dev/urandom | base64 > "$work/enc.key"
  ( cd "$work/token-server"
    ASPNETCORE_ENVIRONMENT=Production \
    Listeners__Mtls=https://127.0.0.1:9443 Listeners__Public=https://127.0.0.1:9444 Listeners__Management=http://127.0.0.1:9081 \
    ServerCertificate__Path="$pki/server.fullchain.pem" ServerCertificate__KeyPath="$pki/server.key" \
    TrustAnchors__Path="$pki/root.crt" TrustAnchors__IntermediatesPath="$pki/int.crt" \
    Revocation__Mode=Offline Revocation__CrlFiles__0="$pki/int.crl.pem" Revocation__CrlFiles__1="$pki/root.crl.pem" \
    Tokens__SigningKey__Path="$work/sign.key" Tokens__EncryptionKeyPath="$work/enc.key" Tokens__AccessTokenLifetime=01:00:00 \
    Tokens__Storage="$1" \
    Database__ConnectionString="Data Source=$work/data/auth.db" \
    Scopes__0__Name=api:read Scopes__0__Resources__0=sample-resource-api \
    Clients__0__client_id=client1 Clients__0__tls_client_auth_san_dns=client1.example Clients__0__scope=api:read \
    Clients__1__client_id=sample-resource-api Clients__1__tls_client_auth_san_dns=client2.example \
    Serilog__MinimumLevel__Default=Warning \
    exec ./MtlsAuthServer ) > "$work/token-server.log" 2>&1 &
  echo $!
}

for storage in Database SelfContained; do
  say "ours: token server, token storage $storage"
  pid=$(token_server $storage); pids+=("$pid"); wait_port 127.0.0.1 9443
  token_modes "ours-$storage" https://127.0.0.1:9443/token "$pid" 'grant_type=client_credentials&client_id=client1'
  stop "$pid"
done

say "ceiling: bare Kestrel mTLS"
( PKI="$pki" PORT=8445 ASPNETCORE_ENVIRONMENT=Production exec "$work/kestrel-baseline/out/kestrel-baseline" ) > "$work/kestrel.log" 2>&1 &
pid=$!; pids+=("$pid"); wait_port 127.0.0.1 8445
token_modes ceiling https://127.0.0.1:8445/token "$pid" 'grant_type=client_credentials&client_id=client1'
stop "$pid"

if [ $skip_peer -eq 0 ]; then
  say "peer: node oidc-provider"
  ( cd "$work/peer" && NODE_ENV=production PKI="$pki" PORT=8447 exec node server.js ) > "$work/peer.log" 2>&1 &
  pid=$!; pids+=("$pid"); wait_port 127.0.0.1 8447
  token_modes peer https://127.0.0.1:8447/token "$pid" 'grant_type=client_credentials&client_id=client1'
  stop "$pid"
fi

# ---------------------------------------------------------------------------------------- resource API
say "resource API: local JWT, introspection, binding enforcement off"
pid_ts=$(token_server Database); pids+=("$pid_ts"); wait_port 127.0.0.1 9443
token=$(curl -s --cert "$pki/client1.fullchain.pem" --key "$pki/client1.key" --cacert "$pki/root.crt" \
  -d grant_type=client_credentials -d client_id=client1 https://127.0.0.1:9443/token | sed -E 's/.*"access_token": *"([^"]+)".*/\1/')
resource_api() { # mode binding
  ( cd "$work/resource-api"
    ASPNETCORE_ENVIRONMENT=Production Listener__Url=https://127.0.0.1:9445 \
    ServerCertificate__Path="$pki/server.fullchain.pem" ServerCertificate__KeyPath="$pki/server.key" \
    TrustAnchors__Path="$pki/root.crt" TrustAnchors__IntermediatesPath="$pki/int.crt" \
    TokenValidation__Issuer=https://127.0.0.1:9444/ TokenValidation__Mode="$1" TokenValidation__EnforceCertificateBinding="$2" \
    TokenValidation__Introspection__CertificatePath="$pki/client2.crt" TokenValidation__Introspection__KeyPath="$pki/client2.key" \
    Serilog__MinimumLevel__Default=Warning \
    exec ./MtlsAuthServer.ResourceApi ) > "$work/resource-api.log" 2>&1 &
  echo $!
}
for variant in "Local true" "Introspection true" "Local false"; do
  set -- $variant
  pid=$(resource_api "$1" "$2"); pids+=("$pid"); wait_port 127.0.0.1 9445
  measure "api-$1-binding-$2" https://127.0.0.1:9445/api/whoami keepalive 16 "$pid" --method GET -H "Authorization: Bearer $token" --expect-body client_id
  stop "$pid"
done
stop "$pid_ts"

say "report"
python3 "$repo/bench/report.py" "$results" "$repo/bench/results" --duration "$duration" --repeats "$repeats"

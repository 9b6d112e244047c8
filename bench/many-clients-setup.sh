#!/usr/bin/env bash
# Material for the many-clients benchmark (issue 14): client certificates client1..clientN (SAN DNS client{i}.example,
# signed by the bench PKI's intermediate) and a content root whose appsettings.Production.json registers REGISTERED
# clients client1..client{REGISTERED} (tls_client_auth_san_dns client{i}.example, scope api:read) beside the bench
# server's own appsettings.json.
# usage: bench/many-clients-setup.sh PKI CERTS REGISTERED CONTENT_ROOT APPSETTINGS_JSON
set -euo pipefail
pki=$1 certs=$2 registered=$3 root=$4 appsettings=$5
mkdir -p "$pki/many" "$root"
cd "$pki/many"
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth" \
  "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" > leaf.ext
for i in $(seq 1 "$certs"); do
  [ -f "client$i.fullchain.pem" ] && continue
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "client$i.key" -subj "/CN=client$i/O=Bench" \
    -addext "subjectAltName=DNS:client$i.example" -out "client$i.csr" 2>/dev/null
  printf 'subjectAltName=DNS:client%s.example\n' "$i" | cat leaf.ext - > "client$i.ext"
  openssl x509 -req -in "client$i.csr" -CA ../int.crt -CAkey ../int.key -CAcreateserial -days 365 -sha256 \
    -extfile "client$i.ext" -out "client$i.crt" 2>/dev/null
  cat "client$i.crt" ../int.crt > "client$i.fullchain.pem"
  rm -f "client$i.csr" "client$i.ext"
done
cp "$appsettings" "$root/appsettings.json"
python3 - "$registered" "$root/appsettings.Production.json" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
clients = [{"client_id": f"client{i}", "tls_client_auth_san_dns": f"client{i}.example", "scope": "api:read"} for i in range(1, n + 1)]
clients.append({"client_id": "sample-resource-api", "tls_client_auth_san_dns": "client2.example"})
json.dump({"Clients": clients}, open(out, "w"))
PY

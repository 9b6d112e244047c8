#!/usr/bin/env python3
"""Turns the raw loadgen JSON files of one bench/run.sh run into a table with ratios (JSON + Markdown)."""
import argparse, glob, json, os, platform, statistics, subprocess, datetime

p = argparse.ArgumentParser()
p.add_argument("raw"); p.add_argument("out"); p.add_argument("--duration"); p.add_argument("--repeats")
p.add_argument("--startup", help="many-clients first start: registered, secondsToReady, peakRssMiB (written by run.sh)")
a = p.parse_args()

runs = {}
for f in sorted(glob.glob(os.path.join(a.raw, "*.json"))):
    name, mode, conns, _, _ = os.path.basename(f).rsplit(".", 4)  # name.mode.cN.run.json
    with open(f) as fh:
        runs.setdefault((name, mode, conns), []).append(json.load(fh))

def summary(rs):
    med = lambda xs: statistics.median(x for x in xs if x is not None) if any(x is not None for x in xs) else None
    return {
        "rps": med([r["rps"] for r in rs]),
        "p50": med([r["latencyMs"]["p50"] for r in rs]),
        "p99": med([r["latencyMs"]["p99"] for r in rs]),
        "errors": sum(r["errors"] for r in rs),
        "serverCpuPct": med([(r.get("server") or {}).get("cpuPct") for r in rs]),
        "serverRssMiB": max(((r.get("server") or {}).get("hwmMiB") or 0) for r in rs),
        "machineBusyPct": med([r["machineBusyPct"] for r in rs]),
        "resumed": sum(r["resumed"] for r in rs), "runs": len(rs),
    }

rows = {k: summary(v) for k, v in runs.items()}
def rps(name, mode, conns): r = rows.get((name, mode, conns)); return r["rps"] if r else None
def ratio(x, y): return round(x / y, 2) if x and y else None

token_modes = [("keepalive", "c16"), ("keepalive", "c64"), ("newconn", "c16"), ("resume", "c16")]
ours = sorted({n for (n, _, _) in rows if n.startswith("ours-")})
ratios = []
for n in ours:
    for mode, conns in token_modes:
        ratios.append({"server": n, "mode": mode, "conns": conns,
                       "ours_over_peer": ratio(rps(n, mode, conns), rps("peer", mode, conns)),
                       "ours_over_ceiling": ratio(rps(n, mode, conns), rps("ceiling", mode, conns)),
                       "ours_over_openiddict_floor": ratio(rps(n, mode, conns), rps("openiddict-floor", mode, conns))})
# Many clients (issue 14): 10,000 registered, requests spread over N client certificates vs one certificate, same loader,
# same connections and requests in flight, one server.
many = []
for conns in sorted({c for (n, _, c) in rows if n == "many-clients"}):
    spread, single = rps("many-clients", "keepalive", conns), rps("many-one-client", "keepalive", conns)
    many.append({"inflight": conns, "many_rps": spread, "one_client_rps": single, "many_over_one": ratio(spread, single)})
binding = None
on, off = rps("api-Local-binding-true", "keepalive", "c16"), rps("api-Local-binding-false", "keepalive", "c16")
if on and off:
    binding = {"local_required_rps": on, "local_off_rps": off, "slowdown_pct": round((off - on) / off * 100, 1)}

def sh(cmd):
    try: return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception: return ""
machine = {"cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(), "cores": os.cpu_count(),
           "kernel": platform.release(), "dotnet": sh("dotnet --version"), "node": sh("node --version"),
           "openssl": sh("openssl version"), "l3": sh("lscpu | sed -n 's/^L3 cache: *//p'")}
doc = {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "machine": machine,
       "durationS": a.duration, "repeats": a.repeats,
       "results": [{"server": k[0], "mode": k[1], "conns": k[2], **v} for k, v in sorted(rows.items())],
       "ratios": ratios, "manyClients": many, "bindingCost": binding,
       "manyClientsStartup": json.load(open(a.startup)) if a.startup else None}
os.makedirs(a.out, exist_ok=True)
with open(os.path.join(a.out, "latest.json"), "w") as fh: json.dump(doc, fh, indent=2)

lines = [f"# Benchmark {doc['when']}", "",
         f"Machine: {machine['cpu']} ({machine['cores']} cores, L3 {machine['l3'] or 'unknown'}), .NET {machine['dotnet']}, node {machine['node']}, {machine['openssl']}. "
         # The workstation GC's gen0 budget is about half the L3 size it reads: peak RSS moves with the machine kind.
         "Peak RSS depends on the L3 size the GC reads (its gen0 budget is about half of it). "
         f"Loader on the same machine; {a.duration} s per mode after 3 s warm-up; median of {a.repeats} run(s).", "",
         "| server | mode | conns | req/s | p50 ms | p99 ms | errors | server CPU % | server CPU µs/req | server peak RSS MiB |",
         "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
def cpu_per_request(v): return round(v["serverCpuPct"] * 1e4 / v["rps"]) if v["serverCpuPct"] and v["rps"] else None
for k, v in sorted(rows.items()):
    lines.append(f"| {k[0]} | {k[1]} | {k[2][1:]} | {v['rps']} | {v['p50']} | {v['p99']} | {v['errors']} | {v['serverCpuPct']} | {cpu_per_request(v)} | {v['serverRssMiB']} |")
lines += ["", "| ours | mode | conns | ours / peer | ours / ceiling | ours / OpenIddict floor |", "|---|---|---:|---:|---:|---:|"]
for r in ratios:
    lines.append(f"| {r['server']} | {r['mode']} | {r['conns'][1:]} | {r['ours_over_peer']} | {r['ours_over_ceiling']} | {r['ours_over_openiddict_floor']} |")
for mode, conns in token_modes:
    floor, peer = rps("openiddict-floor", mode, conns), rps("peer", mode, conns)
    if floor and peer:
        lines.append(f"| (OpenIddict floor itself) | {mode} | {conns[1:]} | {ratio(floor, peer)} | {ratio(floor, rps('ceiling', mode, conns))} | 1.0 |")
if many:
    lines += ["", "Many clients (ours, Database; 10,000 registered; the same connections and requests in flight, one certificate vs many):", "",
              "| in flight | many clients req/s | one client req/s | many / one |", "|---:|---:|---:|---:|"]
    for m in many:
        lines.append(f"| {m['inflight'][1:]} | {m['many_rps']} | {m['one_client_rps']} | {m['many_over_one']} |")
    if doc["manyClientsStartup"]:
        st = doc["manyClientsStartup"]
        lines += ["", f"First start with {st['registered']} registered clients (empty database): ready after {st['secondsToReady']} s, "
                  f"peak RSS {st['peakRssMiB']} MiB."]
if binding:
    lines += ["", f"Binding check at the resource API (local JWT, keep-alive 16): {binding['local_required_rps']} req/s enforced vs "
              f"{binding['local_off_rps']} req/s off → {binding['slowdown_pct']} % slower."]
md = "\n".join(lines) + "\n"
with open(os.path.join(a.out, "latest.md"), "w") as fh: fh.write(md)
print(md)

// many-clients-load.js: the project's keep-alive loader for the many-clients benchmark (Node.js >= 20, no dependencies).
//
// The neutral loader (../shared/bench/loadgen) presents one client certificate per run. This one opens one kept-alive
// mTLS connection per client certificate (client{i}.fullchain.pem / client{i}.key in --pki, i = 1..--clients) and keeps
// --inflight requests in flight over all of them, taking connections in turn, so every client is active all through
// the run while the concurrency stays that of a single-client run. The body names each connection's client
// ({i} in --body is replaced by its number). Every response is validated (status 200, body contains --expect-body).
// Bounded: --duration <= 600 s, a hard timer ends the process.
//
// usage: node many-clients-load.js --url https://127.0.0.1:9443/token --pki DIR --ca root.crt --clients 200
//          [--first 1] [--same-certificate] --inflight 16 -d 15 [--warmup 3] --body 'client_id=client{i}&...'
//          [--expect-body access_token] [--server-pid PID] [--json]
// --same-certificate: every connection presents client{first} (the single-client comparison, same connections).
'use strict';
const tls = require('node:tls');
const fs = require('node:fs');
const path = require('node:path');

const args = { first: 1, clients: 200, inflight: 16, d: 15, warmup: 3, 'expect-body': 'access_token', same: false };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--json') args.json = true;
  else if (a === '--same-certificate') args.same = true;
  else args[a.replace(/^--?/, '')] = process.argv[++i];
}
for (const k of ['first', 'clients', 'inflight', 'd', 'warmup']) args[k] = Number(args[k]);
if (!args.url || !args.pki || !args.body || !(args.d > 0 && args.d <= 600) || !(args.clients >= 1)) {
  console.error('usage: see the header of this file'); process.exit(2);
}
const url = new URL(args.url);
if (!['127.0.0.1', 'localhost', '::1'].includes(url.hostname)) { console.error('loopback only'); process.exit(2); }
setTimeout(() => { console.error('hard time limit'); process.exit(3); }, (args.d + args.warmup + 60) * 1000).unref();

const ca = fs.readFileSync(args.ca || path.join(args.pki, 'root.crt'));
const cpuTicks = (pid) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
const hwm = (pid) => Number((fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/) || [0, 0])[1]) / 1024;

function connect(index) {
  const n = args.same ? args.first : args.first + index;
  const body = args.body.replaceAll('{i}', String(n));
  const request = Buffer.from(`POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca, servername: 'localhost',
      cert: fs.readFileSync(path.join(args.pki, `client${n}.fullchain.pem`)), key: fs.readFileSync(path.join(args.pki, `client${n}.key`)) });
    socket.setNoDelay(true);
    socket.once('secureConnect', () => resolve({ socket, request, buffer: Buffer.alloc(0), pending: null }));
    socket.once('error', reject);
  });
}

// One response at a time per connection: headers, then Content-Length bytes.
function send(connection) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    connection.pending = (ok, detail) => resolve({ ok, detail, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    connection.socket.write(connection.request);
  });
}
function attach(connection) {
  connection.socket.on('data', (chunk) => {
    connection.buffer = Buffer.concat([connection.buffer, chunk]);
    const end = connection.buffer.indexOf('\r\n\r\n');
    if (end < 0 || !connection.pending) return;
    const head = connection.buffer.subarray(0, end).toString('latin1');
    const length = Number((head.match(/content-length:\s*(\d+)/i) || [0, -1])[1]);
    if (length < 0) { const p = connection.pending; connection.pending = null; p(false, 'no content-length'); return; }
    if (connection.buffer.length < end + 4 + length) return;
    const text = connection.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    connection.buffer = connection.buffer.subarray(end + 4 + length);
    const status = Number(head.split(' ')[1]);
    const p = connection.pending; connection.pending = null;
    p(status === 200 && text.includes(args['expect-body']), status === 200 ? 'body' : `status ${status}`);
  });
  const broken = () => { if (connection.pending) { const p = connection.pending; connection.pending = null; p(false, 'io'); } connection.dead = true; };
  connection.socket.on('error', broken); connection.socket.on('close', broken);
}

(async () => {
  const count = args.clients;
  const connections = [];
  for (let i = 0; i < count; i += 20) { // handshakes in small groups: a burst of hundreds would only measure the handshake queue
    connections.push(...await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, k) => connect(i + k))));
  }
  connections.forEach(attach);
  let next = 0; let measuring = false; let stop = false;
  const latencies = []; let ok = 0; let errors = 0; const errorKinds = {}; const used = new Set();
  const worker = async () => {
    while (!stop) {
      // Connections in turn; a connection in use (or broken) is skipped.
      let connection = null;
      for (let tries = 0; tries < count && !connection; tries++) {
        const candidate = connections[next]; next = (next + 1) % count;
        if (!candidate.busy && !candidate.dead) connection = candidate;
      }
      if (!connection) { await new Promise((r) => setImmediate(r)); continue; }
      connection.busy = true;
      const result = await send(connection);
      connection.busy = false;
      if (!measuring) continue;
      if (result.ok) { ok++; latencies.push(result.ms); used.add(connection); } else { errors++; errorKinds[result.detail] = (errorKinds[result.detail] || 0) + 1; }
    }
  };
  const workers = Array.from({ length: Math.min(args.inflight, count * 1) }, worker);
  await new Promise((r) => setTimeout(r, args.warmup * 1000));
  const pid = args['server-pid']; const tick = 100; // USER_HZ
  const cpuStart = pid ? cpuTicks(pid) : 0; const t0 = process.hrtime.bigint();
  measuring = true;
  await new Promise((r) => setTimeout(r, args.d * 1000));
  measuring = false; stop = true;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuPct = pid ? Math.round(((cpuTicks(pid) - cpuStart) / tick) / seconds * 100) : null;
  await Promise.all(workers);
  connections.forEach((c) => c.socket.destroy());
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 1000) / 1000 : null;
  const result = { mode: 'keepalive-many-clients', clients: args.same ? 1 : count, connections: count, inflight: workers.length, durationS: seconds,
    ok, errors, errorKinds, rps: Math.round(ok / seconds), latencyMs: { p50: q(0.5), p99: q(0.99) }, activeConnections: used.size,
    resumed: 0, machineBusyPct: null,
    server: pid ? { pid, cpuPct, hwmMiB: Math.round(hwm(pid)) } : null };
  console.log(args.json ? JSON.stringify(result) : `${result.rps} req/s, ${errors} errors, ${used.size} connections used, server CPU ${cpuPct}%`);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });

// The shared harness of the ccxt conformance suite: it starts
// `keywarden sim` for one exchange, points the real ccxt client at it, and
// runs the same calls and the same failures for every exchange. An
// exchange's file under exchanges/ only says what differs (credentials,
// markets, the error classes ccxt raises for it).
//
// Nothing here reaches the internet: every host in ccxt's urls.api is
// rewritten to the simulator on 127.0.0.1.
'use strict';

const { spawn, execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ccxt = require('ccxt');

// rewriteHosts replaces the scheme and host of every URL in ccxt's
// urls.api (strings, nested objects, templates like https://{hostname})
// with origin, keeping the paths.
function rewriteHosts(api, origin) {
  if (typeof api === 'string') return api.replace(/^https?:\/\/[^/]+/, origin);
  if (Array.isArray(api)) return api.map((v) => rewriteHosts(v, origin));
  if (api && typeof api === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(api)) out[k] = rewriteHosts(v, origin);
    return out;
  }
  return api;
}

// client builds the ccxt client of mod pointed at the simulator at url.
function client(mod, url, creds, extra = {}) {
  // An exchange ccxt has no class for (BitMEX in 4.5.84) brings its own.
  if (typeof mod.client === 'function') return mod.client(url, creds, extra);
  const id = mod.ccxtId || mod.id;
  const Klass = ccxt[id];
  if (!Klass) throw new Error(`ccxt ${ccxt.version} has no exchange "${id}"`);
  const defaults = new Klass();
  const origin = new URL(url).origin;
  return new Klass({
    apiKey: creds.key,
    secret: creds.secret,
    password: creds.passphrase,
    urls: { ...defaults.urls, api: rewriteHosts(defaults.urls.api, origin) },
    timeout: extra.timeout || 10000,
    enableRateLimit: false,
    ...(mod.options || {}),
  });
}

// errorClass is the name of the ccxt error class of err, or of its
// constructor for anything else.
function errorClass(err) {
  if (err && err.constructor && ccxt[err.constructor.name] === err.constructor) return err.constructor.name;
  return (err && err.constructor && err.constructor.name) || typeof err;
}

// isClass reports whether err is an instance of ccxt's class name.
function isClass(err, name) {
  const K = ccxt[name];
  return typeof K === 'function' && err instanceof K;
}

// withTimeout bounds a promise: no call may hang the suite.
function withTimeout(p, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

// goodScenario is the scenario of the run: one key with read, spot,
// futures and margin permissions, funded in both wallets.
function goodScenario(mod, creds) {
  const key = {
    key: creds.key,
    secret: creds.secret,
    label: 'ccxt-conformance',
    permissions: ['read', 'spot', 'futures', 'margin'],
    balances: { USDT: '10000', BTC: '0.5', ETH: '5' },
    futures_balances: { USDT: '5000' },
  };
  if (creds.passphrase) key.passphrase = creds.passphrase;
  return { exchange: mod.id, keys: [key] };
}

// startSim runs `keywarden sim` on a free loopback port with the scenario
// file and resolves when it prints its URL.
function startSim(keywarden, id, scenarioFile, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    const proc = spawn(keywarden, ['sim', '--exchange', id, '--addr', '127.0.0.1:0', '--scenario', scenarioFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`keywarden sim --exchange ${id} printed no URL within ${timeoutMs} ms: ${out}${err}`));
    }, timeoutMs);
    proc.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/ at (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], proc, stderr: () => err });
      }
    });
    proc.stderr.on('data', (b) => { err += b; });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`keywarden sim --exchange ${id} exited (${code}): ${out}${err}`));
    });
  });
}

function stopSim(sim) {
  return new Promise((resolve) => {
    if (sim.proc.exitCode !== null) return resolve();
    sim.proc.removeAllListeners('exit');
    sim.proc.on('exit', () => resolve());
    sim.proc.kill('SIGTERM');
    setTimeout(() => { sim.proc.kill('SIGKILL'); resolve(); }, 3000).unref();
  });
}

// control calls the simulator's control endpoint.
async function control(url, method, p, body) {
  const res = await fetch(url + p, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status}: ${text}`);
  return JSON.parse(text);
}

// mangle changes one character of s, keeping its alphabet.
function mangle(s) {
  const i = Math.floor(s.length / 2);
  const c = s[i];
  const r = /[0-8a-eA-E]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 1) : (c === '9' ? '0' : 'a');
  return s.slice(0, i) + r + s.slice(i + 1);
}

// run executes a file and resolves with its exit code and output.
function run(file, args, env, timeoutMs, input) {
  return new Promise((resolve) => {
    const p = execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, err });
    });
    if (input !== undefined) p.stdin.end(input);
  });
}

// tempDir makes a throwaway directory, removed by the returned function.
function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// random helpers for credentials in each exchange's format.
const rand = {
  hex: (n) => crypto.randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n),
  alnum: (n) => {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from(crypto.randomBytes(n), (b) => abc[b % abc.length]).join('');
  },
  uuid: () => crypto.randomUUID(),
  base64: (bytes) => crypto.randomBytes(bytes).toString('base64'),
};

module.exports = {
  ccxt, rewriteHosts, client, errorClass, isClass, withTimeout, goodScenario, startSim, stopSim,
  control, mangle, run, tempDir, rand,
};

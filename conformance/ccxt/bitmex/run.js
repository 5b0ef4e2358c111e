// run.js runs the ccxt conformance suite (../suite.js) for BitMEX with
// this folder's client, until the harness lets a module bring its own
// client (see /work/wt/SIM2-NEEDS); then bitmex.js moves to ../exchanges/.
//   node conformance/ccxt/bitmex/run.js --keywarden BIN [--verbose] [--timeout MS]
'use strict';

const path = require('node:path');
const h = require('../harness');
const { runExchange } = require('../suite');

const ccxtClient = h.client;
h.client = (mod, url, creds, extra) => (typeof mod.client === 'function' ? mod.client(url, creds, extra) : ccxtClient(mod, url, creds, extra));
// The exec bot runs in its own process: give it this folder's bot.js.
const run = h.run;
const sharedBot = path.join(__dirname, '..', 'bot.js');
h.run = (file, args, env, timeoutMs, input) => run(file, args.map((a) => (a === sharedBot ? path.join(__dirname, 'bot.js') : a)), env, timeoutMs, input);

async function main() {
  const argv = process.argv.slice(2);
  const opts = { keywarden: null, verbose: false, timeout: 10000 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--keywarden') opts.keywarden = argv[++i];
    else if (argv[i] === '--verbose') opts.verbose = true;
    else if (argv[i] === '--timeout') opts.timeout = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!opts.keywarden) throw new Error('--keywarden PATH (the keywarden binary) is required');
  const rows = await runExchange(require('./bitmex'), opts);
  const w = Math.max(...rows.map((r) => r.call.length));
  console.log(`${'call'.padEnd(w)}  bitmex`);
  for (const r of rows) {
    const m = r.status === 'ok' && r.detail.match(/→ (\w+)/);
    console.log(`${r.call.padEnd(w)}  ${m ? m[1] : r.status}`);
  }
  const failed = rows.filter((r) => r.status === 'FAIL');
  for (const r of failed) console.log(`FAIL bitmex ${r.call}: ${r.detail}`);
  console.log(`ccxt (bitmex, own client): ${rows.filter((r) => r.status === 'ok').length} passed, ${failed.length} failed, ${rows.filter((r) => r.status === 'skip').length} skipped`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });

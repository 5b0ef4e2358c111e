// run.js runs the ccxt conformance suite: for each exchange file under
// exchanges/ (or those named by --only), `keywarden sim` with the real
// ccxt client, then prints the table exchange × call → ok / error class.
//
//   node run.js --keywarden /path/to/keywarden [--only binance,okx] [--verbose] [--timeout MS] [--json FILE]
//
// It builds nothing: give it the keywarden binary. Exit 1 if any call or
// expectation failed.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { runExchange, FAILURES } = require('./suite');

function parseArgs(argv) {
  const o = { only: null, verbose: false, timeout: 10000, json: null, keywarden: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--keywarden') o.keywarden = next();
    else if (a === '--only') o.only = next().split(',').filter(Boolean);
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--timeout') o.timeout = Number(next());
    else if (a === '--json') o.json = next();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.keywarden) throw new Error('--keywarden PATH (the keywarden binary) is required');
  if (!(o.timeout > 0)) throw new Error('--timeout must be a positive number of milliseconds');
  return o;
}

function table(rows) {
  const exchanges = [...new Set(rows.map((r) => r.exchange))];
  // Calls in the order they run, failures in FAILURES' order.
  const rank = (c) => {
    const f = FAILURES.findIndex((x) => x.id === c);
    if (f >= 0) return 1000 + f;
    if (c === 'exec bot') return 2000;
    return rows.findIndex((r) => r.call === c);
  };
  const calls = [...new Set(rows.map((r) => r.call))].sort((a, b) => rank(a) - rank(b));
  const cell = (ex, call) => {
    const r = rows.find((x) => x.exchange === ex && x.call === call);
    if (!r) return '—';
    if (r.status === 'ok') {
      const m = r.detail.match(/→ (\w+)/);
      return m ? m[1] : 'ok';
    }
    return r.status === 'skip' ? 'skip' : 'FAIL';
  };
  const head = ['call', ...exchanges];
  const body = calls.map((c) => [c, ...exchanges.map((e) => cell(e, c))]);
  const w = head.map((_, i) => Math.max(...[head, ...body].map((r) => r[i].length)));
  const line = (r) => r.map((v, i) => v.padEnd(w[i])).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...body.map(line)].join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = path.join(__dirname, 'exchanges');
  let mods = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort().map((f) => require(path.join(dir, f)));
  if (opts.only) {
    const unknown = opts.only.filter((id) => !mods.some((m) => m.id === id));
    if (unknown.length) throw new Error(`no suite file for ${unknown.join(', ')} (have: ${mods.map((m) => m.id).join(', ')})`);
    mods = mods.filter((m) => opts.only.includes(m.id));
  }
  const rows = [];
  for (const mod of mods) {
    const t0 = Date.now();
    console.error(`== ${mod.id}`);
    rows.push(...await runExchange(mod, opts));
    console.error(`   ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(table(rows));
  const failed = rows.filter((r) => r.status === 'FAIL');
  const passed = rows.filter((r) => r.status === 'ok').length;
  const skipped = rows.filter((r) => r.status === 'skip').length;
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(rows, null, 2));
  for (const r of failed) console.log(`FAIL ${r.exchange} ${r.call}: ${r.detail}`);
  console.log(`ccxt: ${passed} passed, ${failed.length} failed, ${skipped} skipped`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
  console.error(`run.js: ${e.message}`);
  process.exit(2);
});

// suite.js runs the conformance suite against one exchange: the calls a
// bot makes to start and trade, then each failure switched on mid-run
// through PATCH /_sim/scenario, then a ccxt bot under `keywarden exec`.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

// The failures, in the order they run. Each patches the good scenario,
// makes one call, and expects the ccxt error class the exchange module
// names for it (mod.expect[id]).
const FAILURES = [
  { id: 'wrong_secret', what: 'a wrong secret', call: 'fetchBalance', patch: (sc) => ({ keys: [{ secret: h.mangle(sc.keys[0].secret) }] }) },
  { id: 'wrong_passphrase', what: 'a wrong passphrase', call: 'fetchBalance', needs: 'passphrase', patch: (sc) => ({ keys: [{ passphrase: h.mangle(sc.keys[0].passphrase) }] }) },
  { id: 'no_trade', what: 'a key without trade permission', call: 'createOrder', patch: () => ({ keys: [{ permissions: ['read'] }] }) },
  { id: 'ip', what: 'an IP not whitelisted', call: 'fetchBalance', patch: () => ({ keys: [{ ips: ['198.51.100.7'] }] }) },
  { id: 'clock', what: 'a clock outside the window', call: 'fetchBalance', patch: () => ({ clock_offset: '-120s' }) },
  { id: 'maintenance', what: 'maintenance', call: 'fetchTicker', patch: () => ({ maintenance: 'ongoing' }) },
  { id: 'rate_limit', what: 'a rate limit', call: 'fetchTicker', patch: () => ({ rate_limit_first: 1000, retry_after: '2s' }) },
];

// A limit buy far below the 60000 mid: it rests, it never fills.
const FAR = { spot: { amount: 0.001, price: 30000 }, swap: { amount: 0.005, price: 30000 } };

async function runExchange(mod, opts) {
  const rows = [];
  const row = (call, status, detail) => {
    rows.push({ exchange: mod.id, call, status, detail: detail || '' });
    if (opts.verbose || status === 'FAIL') console.error(`  ${mod.id} ${call}: ${status}${detail ? ' — ' + detail : ''}`);
  };
  const creds = mod.credentials();
  const good = h.goodScenario(mod, creds);
  const tmp = h.tempDir(`kw-ccxt-${mod.id}-`);
  const scenarioFile = path.join(tmp.dir, 'scenario.json');
  fs.writeFileSync(scenarioFile, JSON.stringify(good, null, 2), { mode: 0o600 });
  let sim;
  try {
    sim = await h.startSim(opts.keywarden, mod.id, scenarioFile);
    const c = h.client(mod, sim.url, creds, { timeout: opts.timeout });
    const spot = mod.spot || 'BTC/USDT';
    const swap = mod.swap === undefined ? null : mod.swap;
    const call = (name, fn) => h.withTimeout(Promise.resolve().then(fn), opts.timeout + 2000, `${mod.id} ${name}`);
    const calls = {
      fetchBalance: () => c.fetchBalance(),
      fetchTicker: () => c.fetchTicker(spot),
      createOrder: () => c.createOrder(spot, 'limit', 'buy', FAR.spot.amount, FAR.spot.price),
    };

    // 1. What a bot does to start and trade.
    const steps = [
      ['loadMarkets', async () => {
        const m = await c.loadMarkets();
        for (const s of [spot, 'ETH/USDT', swap].filter(Boolean)) if (!m[s]) throw new Error(`no market ${s} among ${Object.keys(m).join(', ')}`);
        return `${Object.keys(m).length} markets`;
      }],
      c.has.fetchTime && ['fetchTime', async () => {
        const t = await c.fetchTime();
        if (Math.abs(t - Date.now()) > 5000) throw new Error(`server time ${t} is ${t - Date.now()} ms off`);
        return 'in sync';
      }],
      c.has.fetchStatus && ['fetchStatus', async () => {
        const s = await c.fetchStatus();
        if (s.status !== 'ok') throw new Error(`status ${JSON.stringify(s)}`);
        return s.status;
      }],
      ['fetchBalance', async () => {
        const b = await c.fetchBalance();
        const want = mod.balanceUSDT || 10000;
        if (!b.USDT || Number(b.USDT.total) !== want) throw new Error(`USDT ${JSON.stringify(b.USDT)}, want ${want}`);
        return `USDT ${b.USDT.total}, BTC ${b.BTC && b.BTC.total}`;
      }],
      mod.futuresBalance && ['fetchBalance futures', async () => {
        const b = await c.fetchBalance(mod.futuresBalance);
        const want = mod.futuresBalanceUSDT || 5000;
        if (!b.USDT || Number(b.USDT.total) !== want) throw new Error(`USDT ${JSON.stringify(b.USDT)}, want ${want}`);
        return `USDT ${b.USDT.total}`;
      }],
      ['fetchTicker', async () => {
        const t = await c.fetchTicker(spot);
        if (!(t.bid < t.ask) || Math.abs(t.last - 60000) > 1) throw new Error(`ticker ${JSON.stringify({ bid: t.bid, ask: t.ask, last: t.last })}`);
        return `bid ${t.bid} ask ${t.ask}`;
      }],
      c.has.fetchOrderBook && ['fetchOrderBook', async () => {
        const b = await c.fetchOrderBook(spot, mod.bookLimit || 5);
        if (!b.bids.length || !b.asks.length || !(b.bids[0][0] < b.asks[0][0])) throw new Error(`book ${JSON.stringify(b).slice(0, 200)}`);
        return `${b.bids.length}×${b.asks.length} levels`;
      }],
      ...orderSteps(c, mod, spot, FAR.spot, ''),
      ...(swap ? orderSteps(c, mod, swap, { ...FAR.swap, amount: mod.swapAmount || FAR.swap.amount }, ' swap') : []),
    ].filter(Boolean);
    let failed = false;
    for (const [name, fn] of steps) {
      try {
        row(name, 'ok', await call(name, fn));
      } catch (e) {
        failed = true;
        row(name, 'FAIL', `${h.errorClass(e)}: ${String(e.message).slice(0, 300)}`);
      }
    }

    // 2. The failures, each switched on mid-run, then undone.
    for (const f of FAILURES) {
      if (f.needs && !creds[f.needs]) continue;
      const why = mod.skip && mod.skip[f.id];
      if (why) { row(f.id, 'skip', why); continue; }
      const want = mod.expect && mod.expect[f.id];
      try {
        await h.control(sim.url, 'PATCH', '/_sim/scenario', f.patch(good));
        try {
          await call(f.call, calls[f.call]);
          row(f.id, 'FAIL', `${f.call} succeeded with ${f.what}; want ${want}`);
        } catch (e) {
          const got = h.errorClass(e);
          const ok = want && h.isClass(e, want);
          const note = mod.notes && mod.notes[f.id] ? ` (${mod.notes[f.id]})` : '';
          row(f.id, ok ? 'ok' : 'FAIL', `${f.call} → ${got}${ok ? '' : ` want ${want}: ${String(e.message).slice(0, 200)}`}${note}`);
        }
      } catch (e) {
        row(f.id, 'FAIL', `switching it on: ${e.message}`);
      } finally {
        await h.control(sim.url, 'PUT', '/_sim/scenario', good).catch((e) => row(f.id, 'FAIL', `reset: ${e.message}`));
      }
    }

    // 3. A ccxt bot under keywarden exec.
    await execBot(mod, opts, sim.url, creds, row);
    if (failed && opts.verbose) {
      const log = await h.control(sim.url, 'GET', '/_sim/requests').catch(() => ({ requests: [] }));
      for (const r of log.requests.slice(-30)) console.error(`    ${r.method} ${r.path} ${r.status} ${r.verdict} ${r.code || ''}`);
    }
  } catch (e) {
    row('setup', 'FAIL', e.message);
  } finally {
    if (sim) await h.stopSim(sim);
    tmp.remove();
  }
  return rows;
}

// orderSteps places a far limit buy on symbol, reads it back, lists the
// open orders and cancels it.
function orderSteps(c, mod, symbol, far, suffix) {
  let order;
  return [
    ['createOrder' + suffix, async () => {
      order = await c.createOrder(symbol, 'limit', 'buy', far.amount, far.price);
      if (!order.id) throw new Error(`no order id in ${JSON.stringify(order).slice(0, 200)}`);
      return `id ${order.id}`;
    }],
    c.has.fetchOrder && ['fetchOrder' + suffix, async () => {
      const o = await c.fetchOrder(order.id, symbol, mod.fetchOrderParams || {});
      if (o.id !== order.id || o.status !== 'open' || Number(o.price) !== far.price || Number(o.amount) !== far.amount) {
        throw new Error(`order ${JSON.stringify({ id: o.id, status: o.status, price: o.price, amount: o.amount })}`);
      }
      return `${o.status} ${o.side} ${o.amount} @ ${o.price}`;
    }],
    c.has.fetchOpenOrders && ['fetchOpenOrders' + suffix, async () => {
      const list = await c.fetchOpenOrders(symbol);
      if (!list.some((o) => o.id === order.id)) throw new Error(`order ${order.id} not among ${list.map((o) => o.id)}`);
      return `${list.length} open`;
    }],
    ['cancelOrder' + suffix, async () => {
      await c.cancelOrder(order.id, symbol);
      if (c.has.fetchOrder) {
        const o = await c.fetchOrder(order.id, symbol, mod.fetchOrderParams || {});
        if (o.status !== 'canceled') throw new Error(`after cancel the order is ${o.status}`);
      }
      return 'canceled';
    }],
  ].filter(Boolean);
}

// execBot stores the key in a throwaway keyring and runs bot.js under
// `keywarden exec NAME --env-style ccxt`: the bot gets the key from ccxt's
// own variables only, and its output is masked.
async function execBot(mod, opts, url, creds, row) {
  const tmp = h.tempDir(`kw-ccxt-home-${mod.id}-`);
  try {
    const env = {
      PATH: process.env.PATH, HOME: tmp.dir, KEYWARDEN_DIR: path.join(tmp.dir, 'kw'),
      KEYWARDEN_PASSPHRASE: h.rand.alnum(24), KEYWARDEN_IP_ECHO_URL: url + '/_sim/ip', NO_COLOR: '1',
    };
    const input = JSON.stringify({ key: creds.key, secret: creds.secret, ...(creds.passphrase ? { passphrase: creds.passphrase } : {}) });
    const add = await h.run(opts.keywarden, ['add', 'bot', '--exchange', mod.id, '--base-url', url], env, 30000, input);
    if (add.code !== 0) return row('exec bot', 'FAIL', `keywarden add: exit ${add.code}: ${add.stderr.slice(0, 300)}`);
    const botEnv = { ...env, KW_SIM_URL: url, KW_EXCHANGE: mod.id, KW_MODULE: path.join(__dirname, 'exchanges', mod.id + '.js') };
    const bot = await h.run(opts.keywarden, ['exec', 'bot', '--env-style', 'ccxt', '--', process.execPath, path.join(__dirname, 'bot.js')], botEnv, 60000);
    const out = bot.stdout + bot.stderr;
    const leaked = [creds.secret, creds.passphrase].filter((s) => s && s.length >= 6 && out.includes(s));
    if (bot.code !== 0 || leaked.length || !/order .+ placed/.test(out) || !/order .+ canceled/.test(out)) {
      return row('exec bot', 'FAIL', `exit ${bot.code}${leaked.length ? ', a secret in its output' : ''}: ${out.slice(0, 400)}`);
    }
    row('exec bot', 'ok', out.trim().split('\n').filter((l) => !l.includes('secret')).slice(0, 3).join('; '));
  } finally {
    tmp.remove();
  }
}

module.exports = { runExchange, FAILURES };

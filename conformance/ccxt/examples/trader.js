// trader.js is a ccxt bot that trades in a loop, for watching what a bot
// sees when the simulator's scenario changes under it: every second it
// places a limit buy far below the price and cancels it, and logs the
// result or the ccxt error class.
//
//   keywarden exec NAME --env-style ccxt -- node examples/trader.js
//
// with KW_EXCHANGE (the exchange id) and KW_SIM_URL (the simulator's URL)
// in the environment; the key comes from ccxt's own variables
// (<ID>_APIKEY, <ID>_SECRET, <ID>_PASSWORD). KW_ROUNDS bounds the loop.
'use strict';

const path = require('node:path');
const h = require('../harness');

async function main() {
  const id = process.env.KW_EXCHANGE;
  const mod = require(path.join(__dirname, '..', 'exchanges', id + '.js'));
  const P = (mod.ccxtId || id).toUpperCase();
  const ex = h.client(mod, process.env.KW_SIM_URL, {
    key: process.env[P + '_APIKEY'], secret: process.env[P + '_SECRET'], passphrase: process.env[P + '_PASSWORD'],
  });
  const symbol = mod.spot || 'BTC/USDT';
  const rounds = Number(process.env.KW_ROUNDS || Infinity);
  for (let i = 1; i <= rounds; i++) {
    const t = new Date().toISOString().slice(11, 19);
    try {
      const o = await ex.createOrder(symbol, 'limit', 'buy', 0.001, 30000);
      await ex.cancelOrder(o.id, symbol);
      console.log(`${t} round ${i}: order ${o.id} placed and canceled`);
    } catch (e) {
      console.log(`${t} round ${i}: ${h.errorClass(e)}: ${String(e.message).trim().slice(0, 160)}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

main().catch((e) => {
  console.error(`trader: ${e.constructor.name}: ${e.message}`);
  process.exit(3);
});

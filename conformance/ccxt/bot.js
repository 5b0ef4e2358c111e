// bot.js is the smallest ccxt trading bot: it takes its key from ccxt's
// own environment variables (<ID>_APIKEY, <ID>_SECRET, <ID>_PASSWORD, as
// `keywarden exec --env-style ccxt` sets them) and the exchange's address
// from KW_SIM_URL, then reads its balance, places a limit buy far below
// the price and cancels it.
'use strict';

const h = require('./harness');

async function main() {
  const id = process.env.KW_EXCHANGE;
  const mod = require(process.env.KW_MODULE);
  const P = (mod.ccxtId || id).toUpperCase();
  const creds = { key: process.env[P + '_APIKEY'], secret: process.env[P + '_SECRET'], passphrase: process.env[P + '_PASSWORD'] };
  if (!creds.key || !creds.secret) throw new Error(`${P}_APIKEY and ${P}_SECRET must be set`);
  // A careless bot prints its secret; keywarden exec masks it.
  console.log(`secret seen by the bot: ${creds.secret}`);
  const ex = h.client(mod, process.env.KW_SIM_URL, creds);
  const symbol = mod.spot || 'BTC/USDT';
  await ex.loadMarkets();
  const bal = await ex.fetchBalance();
  console.log(`balance USDT ${bal.USDT && bal.USDT.total}`);
  const o = await ex.createOrder(symbol, 'limit', 'buy', 0.001, 30000);
  console.log(`order ${o.id} placed: buy 0.001 ${symbol} @ 30000`);
  await ex.cancelOrder(o.id, symbol);
  console.log(`order ${o.id} canceled`);
}

main().catch((e) => {
  console.error(`bot: ${e.constructor.name}: ${e.message}`);
  process.exit(3);
});

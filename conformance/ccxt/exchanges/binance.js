// Binance spot and USDⓈ-M futures under ccxt's `binance` class.
'use strict';

const { rand } = require('../harness');

module.exports = {
  id: 'binance',
  credentials: () => ({ key: rand.alnum(64), secret: rand.alnum(64) }),
  spot: 'BTC/USDT',
  swap: 'BTC/USDT:USDT',
  futuresBalance: { type: 'future' },
  expect: {
    wrong_secret: 'AuthenticationError', // -1022
    // Binance answers -2015 for a key, IP or permission it refuses; ccxt
    // raises AuthenticationError for it, except after the key has worked
    // once in the process, when it takes -2015 for a temporary ban.
    no_trade: 'DDoSProtection',
    ip: 'DDoSProtection',
    clock: 'InvalidNonce', // -1021
    maintenance: 'OnMaintenance', // {"code":1,"msg":"System is under maintenance."}
    rate_limit: 'DDoSProtection', // HTTP 429: ccxt's binance raises the parent class of RateLimitExceeded
  },
  notes: {
    no_trade: '-2015 after a first success: ccxt reads it as a temporary ban',
    ip: '-2015 after a first success: ccxt reads it as a temporary ban',
    rate_limit: 'HTTP 429 → DDoSProtection in binance.handleErrors',
  },
};

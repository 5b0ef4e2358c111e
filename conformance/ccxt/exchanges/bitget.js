// Bitget v2 under ccxt's `bitget` class: spot, and USDT-M perpetuals on
// the mix API.
'use strict';

const { rand } = require('../harness');

module.exports = {
  id: 'bitget',
  credentials: () => ({ key: 'bg_' + rand.hex(32), secret: rand.hex(64), passphrase: 'Kw' + rand.alnum(14) }),
  spot: 'BTC/USDT',
  swap: 'BTC/USDT:USDT',
  futuresBalance: { type: 'swap' },
  expect: {
    wrong_secret: 'AuthenticationError', // 40009
    wrong_passphrase: 'AuthenticationError', // 40012
    no_trade: 'PermissionDenied', // 40014
    ip: 'PermissionDenied', // 40018
    clock: 'InvalidNonce', // 40008
    maintenance: 'OnMaintenance', // 40200
    rate_limit: 'DDoSProtection', // HTTP 429, code "429": ccxt's bitget maps it to the parent of RateLimitExceeded
  },
  notes: {
    rate_limit: 'code 429 → DDoSProtection in ccxt\'s bitget exceptions',
  },
};

// BitMEX through its own client (../bitmex/client.js): ccxt 4.5.84 has no
// BitMEX class. The error classes are the ones client.js's classify maps
// BitMEX's statuses and messages to, not ccxt's own mapping.
'use strict';

const crypto = require('node:crypto');
const { BitmexClient } = require('../bitmex/client');

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const pick = (abc, n) => Array.from(crypto.randomBytes(n), (b) => abc[b % abc.length]).join('');

module.exports = {
  id: 'bitmex',
  credentials: () => ({ key: pick(SECRET_ALPHABET.slice(0, 62), 24), secret: pick(SECRET_ALPHABET, 48) }),
  client: (url, creds, extra = {}) => new BitmexClient({ apiKey: creds.key, secret: creds.secret, url, timeout: extra.timeout || 10000 }),
  spot: 'BTC/USDT',
  swap: 'BTC/USDT:USDT',
  // BitMEX keeps one wallet per currency for spot and derivatives.
  balanceUSDT: 15000,
  futuresBalance: null,
  expect: {
    wrong_secret: 'AuthenticationError', // 401 Signature not valid.
    no_trade: 'PermissionDenied', // 403 Access Denied
    ip: 'PermissionDenied', // 403 Access Denied
    maintenance: 'ExchangeNotAvailable', // 503
    rate_limit: 'RateLimitExceeded', // 429
  },
  notes: {
    wrong_secret: 'no ccxt class: this suite\'s own BitMEX client maps 401 to AuthenticationError',
    no_trade: 'no ccxt class: the own client maps 403 Access Denied to PermissionDenied',
    ip: 'BitMEX answers 403 Access Denied for the IP and the permission alike',
  },
  skip: {
    clock: 'BitMEX only refuses an api-expires already in the past; a clock 120 s ahead of the exchange signs requests that expire later, which BitMEX accepts (the Go tests cover a clock behind it)',
  },
};

// Deribit through ccxt's "deribit" class, signing every private call with
// the deri-hmac-sha256 header. Deribit's linear perpetuals settle in USDC,
// so there is no USDT-margined perpetual to trade; spot is BTC_USDT.
'use strict';
const crypto = require('node:crypto');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

module.exports = {
  id: 'deribit',
  credentials: () => ({
    key: Array.from(crypto.randomBytes(8), (b) => ALPHABET[b % ALPHABET.length]).join(''),
    secret: crypto.randomBytes(32).toString('base64url'),
  }),
  spot: 'BTC/USDT',
  swap: null,
  // Deribit keeps one account per currency for spot and derivatives: the
  // USDT summary holds both wallets of the scenario.
  balanceUSDT: 15000,
  futuresBalance: null,
  expect: {
    wrong_secret: 'AuthenticationError',
    no_trade: 'PermissionDenied',
    ip: 'PermissionDenied',
    clock: 'AuthenticationError',
    maintenance: 'OnMaintenance',
    rate_limit: 'DDoSProtection',
  },
  notes: {
    clock: 'Deribit answers 13004 invalid_credentials for a timestamp outside 60 s; ccxt maps it to AuthenticationError',
    rate_limit: 'ccxt maps 10028 too_many_requests to DDoSProtection, the parent class of RateLimitExceeded',
  },
};

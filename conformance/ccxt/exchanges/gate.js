// Gate API v4 through ccxt's "gate" class: spot and the USDT-settled
// perpetual (ccxt amounts on the perpetual are contracts of 0.001 BTC).
'use strict';
const crypto = require('node:crypto');

module.exports = {
  id: 'gate',
  credentials: () => ({
    key: crypto.randomBytes(16).toString('hex'),
    secret: crypto.randomBytes(32).toString('hex'),
  }),
  spot: 'BTC/USDT',
  swap: 'BTC/USDT:USDT',
  futuresBalance: { type: 'swap' },
  swapAmount: 5, // contracts of 0.001 BTC: 0.005 BTC
  expect: {
    wrong_secret: 'AuthenticationError',
    no_trade: 'PermissionDenied',
    ip: 'AuthenticationError',
    clock: 'AuthenticationError',
    maintenance: 'ExchangeNotAvailable',
    rate_limit: 'RateLimitExceeded',
  },
  notes: {
    ip: 'Gate answers IP_FORBIDDEN (403); ccxt maps it to AuthenticationError, not PermissionDenied',
    clock: 'Gate answers REQUEST_EXPIRED (403); ccxt maps it to AuthenticationError, not InvalidNonce',
    maintenance: 'Gate has no status endpoint; TOO_BUSY (503), which ccxt maps to ExchangeNotAvailable',
  },
};

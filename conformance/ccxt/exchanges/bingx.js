// BingX through ccxt's "bingx" class: spot and the USDT-M perpetual (ccxt
// amounts on it are in BTC). ccxt maps several of BingX's codes to
// classes a bot would not expect; the notes say which.
'use strict';
const { rand } = require('../harness');

module.exports = {
  id: 'bingx',
  credentials: () => ({ key: rand.alnum(83), secret: rand.alnum(83) }),
  spot: 'BTC/USDT',
  swap: 'BTC/USDT:USDT',
  futuresBalance: { type: 'swap' },
  expect: {
    wrong_secret: 'AuthenticationError', // 100001
    no_trade: 'ExchangeError', // 100004
    ip: 'PermissionDenied', // 100419
    clock: 'BadSymbol', // 100421
    maintenance: 'InsufficientFunds', // 80012
    rate_limit: 'OperationFailed', // 100410, HTTP 429
  },
  notes: {
    no_trade: 'ccxt has no mapping for 100004 (permission denied): it raises the generic ExchangeError',
    clock: 'ccxt maps 100421 (timestamp mismatch) to BadSymbol: BingX also uses 100421 for a pair closed to API trading',
    maintenance: 'ccxt maps 80012 (service unavailable) to InsufficientFunds: BingX also wraps margin errors in 80012',
    rate_limit: 'ccxt maps 100410 to OperationFailed, the grandparent class of RateLimitExceeded',
  },
};

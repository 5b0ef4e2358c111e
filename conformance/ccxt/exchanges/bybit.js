// Bybit v5 under ccxt's `bybit` class: a unified trading account (spot and
// USDT perpetuals share one wallet).
'use strict';

const { rand } = require('../harness');

module.exports = {
  id: 'bybit',
  credentials: () => ({ key: rand.alnum(18), secret: rand.alnum(36) }),
  spot: 'BTC/USDT',
  swap: 'BTC/USDT:USDT',
  balanceUSDT: 15000,
  futuresBalance: { type: 'swap' },
  futuresBalanceUSDT: 15000,
  // ccxt's bybit.fetchOrder asks the caller to acknowledge that it sees
  // the last 500 orders only.
  fetchOrderParams: { acknowledged: true },
  expect: {
    wrong_secret: 'AuthenticationError', // 10004
    no_trade: 'PermissionDenied', // 10005
    ip: 'PermissionDenied', // 10010
    clock: 'InvalidNonce', // 10002
    maintenance: 'ExchangeError', // HTTP 503, retCode 10016: ccxt maps 10016 to the generic class
    rate_limit: 'RateLimitExceeded', // 10006
  },
  notes: {
    maintenance: 'retCode 10016 is a generic ExchangeError in ccxt\'s bybit exceptions',
  },
};

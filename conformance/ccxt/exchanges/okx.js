// OKX v5 under ccxt's `okx` class: one unified trading account, the
// perpetual BTC-USDT-SWAP quoted in contracts of 0.01 BTC.
'use strict';

const { rand } = require('../harness');

module.exports = {
  id: 'okx',
  credentials: () => {
    const u = rand.hex(32);
    return {
      key: `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`,
      secret: rand.hex(32).toUpperCase(),
      passphrase: 'Kw-' + rand.alnum(13),
    };
  },
  spot: 'BTC/USDT',
  swap: 'BTC/USDT:USDT',
  swapAmount: 1, // contracts of 0.01 BTC
  // The trading account holds spot and futures funds together.
  balanceUSDT: 15000,
  futuresBalance: { type: 'swap' },
  futuresBalanceUSDT: 15000,
  expect: {
    wrong_secret: 'AuthenticationError', // 50113
    wrong_passphrase: 'AuthenticationError', // 50105
    no_trade: 'ExchangeError', // 50120: ccxt 4.5.84 has no mapping for it
    ip: 'PermissionDenied', // 50110
    clock: 'InvalidNonce', // 50102
    maintenance: 'OnMaintenance', // 50001
    rate_limit: 'RateLimitExceeded', // 50011
  },
  notes: {
    no_trade: '50120 is not in ccxt\'s okx exceptions: generic ExchangeError',
  },
};

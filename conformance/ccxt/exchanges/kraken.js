// Kraken spot through ccxt's "kraken" class (spot only: Kraken's futures
// are another exchange in ccxt, krakenfutures).
'use strict';
const crypto = require('node:crypto');

module.exports = {
  id: 'kraken',
  credentials: () => ({
    key: crypto.randomBytes(42).toString('base64'),
    secret: crypto.randomBytes(64).toString('base64'),
  }),
  // Kraken refuses a nonce not above the key's last one (EAPI:Invalid
  // nonce), and ccxt's Kraken nonce is the millisecond clock: two private
  // calls in one millisecond share a nonce, and the second is refused, by
  // the real Kraken as by the simulator. ccxt's own rate limiter (on by
  // default, 3 s apart for Kraken) keeps calls apart; the suite turns it on
  // at 2 ms, fast but never two calls in one millisecond.
  options: { enableRateLimit: true, rateLimit: 2 },
  spot: 'BTC/USDT',
  swap: null,
  futuresBalance: null,
  expect: {
    wrong_secret: 'ExchangeError',
    no_trade: 'PermissionDenied',
    ip: 'PermissionDenied',
    maintenance: 'ExchangeNotAvailable',
    rate_limit: 'DDoSProtection',
  },
  notes: {
    wrong_secret: 'Kraken answers EAPI:Invalid signature, which ccxt does not map: it raises the generic ExchangeError',
    rate_limit: 'ccxt maps EAPI:Rate limit exceeded to DDoSProtection, the parent class of RateLimitExceeded',
  },
  skip: {
    clock: 'Kraken signs with an always-increasing nonce, not a timestamp: there is no clock window to fall outside',
  },
};

// Coinbase Advanced Trade through ccxt's "coinbase" class, with a CDP
// ECDSA key (ccxt signs it as an ES256 JWT with iss "coinbase-cloud" and a
// uri that keeps the http:// scheme of the simulator's URL).
'use strict';
const crypto = require('node:crypto');

function ecKey() {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: 'sec1', format: 'pem' });
}

module.exports = {
  id: 'coinbase',
  credentials: () => ({
    key: `organizations/${crypto.randomUUID()}/apiKeys/${crypto.randomUUID()}`,
    secret: ecKey(),
  }),
  spot: 'BTC/USDT',
  swap: null, // Coinbase has no USDT-margined perpetual
  // ccxt's fetchBalance({type: 'future'}) reads the US futures balance
  // summary (USD-margined), which its parser turns into an empty balance:
  // there is no USDT futures wallet to assert.
  futuresBalance: null,
  expect: {
    wrong_secret: 'AuthenticationError',
    no_trade: 'PermissionDenied',
    ip: 'AuthenticationError',
    clock: 'AuthenticationError',
    maintenance: 'ExchangeNotAvailable',
    rate_limit: 'RateLimitExceeded',
  },
  notes: {
    ip: 'Coinbase refuses an IP outside the allowlist with 401 authentication_error ("IP blocked"); ccxt maps it to AuthenticationError',
    clock: 'a JWT outside its nbf/exp window gets the bare 401 "Unauthorized"; ccxt maps it to AuthenticationError',
    maintenance: 'HTTP 503 without an error code; ccxt maps the status to ExchangeNotAvailable',
  },
};

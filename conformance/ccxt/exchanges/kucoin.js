// KuCoin under ccxt's `kucoin` class: spot on the high-frequency (HF)
// account, and the USDT-margined perpetual XBTUSDTM on the futures host
// (contracts of 0.001 BTC), which ccxt 4.5.84's kucoin class reaches too.
'use strict';

const { rand } = require('../harness');

module.exports = {
  id: 'kucoin',
  credentials: () => {
    const u = rand.hex(32);
    return {
      key: rand.hex(24),
      secret: `${u.slice(0, 8)}-${u.slice(8, 12)}-4${u.slice(13, 16)}-a${u.slice(17, 20)}-${u.slice(20)}`,
      passphrase: 'kw-' + rand.alnum(13),
    };
  },
  spot: 'BTC/USDT',
  swap: 'BTC/USDT:USDT',
  swapAmount: 5, // contracts of 0.001 BTC
  futuresBalance: { type: 'swap' },
  bookLimit: 20, // ccxt's kucoin.fetchOrderBook takes 20 or 100
  expect: {
    // KuCoin checks the HMAC'd passphrase, made with the secret, before
    // the signature: a wrong secret is refused as a wrong passphrase.
    wrong_secret: 'AuthenticationError', // 400004
    wrong_passphrase: 'AuthenticationError', // 400004
    no_trade: 'AuthenticationError', // 400007: ccxt maps "Access denied, require more permission" to AuthenticationError
    ip: 'AuthenticationError', // 400006: ccxt maps the IP refusal to AuthenticationError
    clock: 'InvalidNonce', // 400002
    maintenance: 'ExchangeNotAvailable', // HTTP 503, the gateway's HTML page
    rate_limit: 'ExchangeError', // HTTP 429, code 429000: not in ccxt's kucoin exceptions
  },
  notes: {
    no_trade: '400007 → AuthenticationError in ccxt\'s kucoin exceptions (no PermissionDenied)',
    ip: '400006 → AuthenticationError in ccxt\'s kucoin exceptions (no PermissionDenied)',
    rate_limit: 'code 429000 is not in ccxt\'s kucoin exceptions (only "429" is): generic ExchangeError',
  },
};

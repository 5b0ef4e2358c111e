// BitMEX's three published request-signing examples
// (bitmex.com/app/apiKeysUsage) against client.js's signer. No network.
//   node conformance/ccxt/bitmex/vectors.js   → exit 1 on a mismatch
'use strict';

const { sign } = require('./client');

const secret = 'chNOOS4KvNXR_Xq4k4c9qsfoKWvnDecLATCRlcBwyKDYnWgO';
const vectors = [
  ['GET', '/api/v1/instrument', 1518064236, '', 'c7682d435d0cfe87c16098df34ef2eb5a549d4c5a3c2b1f0f77b8af73423bf00'],
  ['GET', '/api/v1/instrument?filter=%7B%22symbol%22%3A+%22XBTM15%22%7D', 1518064237, '', 'e2f422547eecb5b3cb29ade2127e21b858b235b386bfa45e1c1756eb3383919f'],
  ['POST', '/api/v1/order', 1518064238, '{"symbol":"XBTM15","price":219.0,"clOrdID":"mm_bitmex_1a/oemUeQ4CAJZgP3fjHsA","orderQty":98}',
    '1749cd2ccae4aa49048ae09f0b95110cee706e0944e6a14ad0b3a8cb45bd336b'],
];

let failed = 0;
for (const [verb, path, expires, body, want] of vectors) {
  const got = sign(secret, verb, path, expires, body);
  const ok = got === want;
  // A changed byte must change the signature: the check can fail.
  const tampered = sign(secret, verb, path, expires + 1, body) !== want;
  if (!ok || !tampered) failed++;
  console.log(`${ok && tampered ? 'ok  ' : 'FAIL'} ${verb} ${path} ${expires}${body ? ' ' + body : ''}${ok ? '' : ` got ${got}, want ${want}`}`);
}
console.log(`bitmex signing vectors: ${vectors.length - failed} of ${vectors.length} reproduce`);
process.exit(failed ? 1 : 0);

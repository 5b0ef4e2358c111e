// A small BitMEX REST client with the ccxt unified methods the conformance
// suite calls. ccxt 4.5.84 has no BitMEX class, so this client stands in
// for it: it signs as BitMEX documents (hex HMAC-SHA256 of verb + path +
// query + expires + body, checked against BitMEX's published vectors in
// vectors.js), speaks BitMEX's shapes (instruments, L2 book, wallets in
// XBt/USDt/Gwei, orderQty in position units) and raises ccxt's own error
// classes, mapped from BitMEX's HTTP statuses and messages (classify).
// Nothing here reaches the internet: the base URL is the simulator's.
'use strict';

const crypto = require('node:crypto');
const ccxt = require('ccxt');

// sign is BitMEX's api-signature for one request.
function sign(secret, verb, pathAndQuery, expires, body) {
  return crypto.createHmac('sha256', secret).update(verb + pathAndQuery + String(expires) + (body || '')).digest('hex');
}

// Wallet currencies and their scales.
const CURRENCIES = { XBt: ['BTC', 8], USDt: ['USDT', 6], Gwei: ['ETH', 9] };
const ASSET = (a) => (a === 'XBT' ? 'BTC' : a);

// classify turns a BitMEX error answer into ccxt's class. BitMEX's
// documented statuses: 400 bad request (an expired api-expires among
// them), 401 bad key or signature, 403 a key without the permission or
// from an IP it does not allow, 404 not found, 429 rate limited, 503
// overloaded or in maintenance.
function classify(status, message, route) {
  const m = String(message || '');
  if (status === 429) return ccxt.RateLimitExceeded;
  if (status === 401) return ccxt.AuthenticationError;
  if (status === 403) return ccxt.PermissionDenied;
  if (status === 503 || status === 502 || status === 504) return ccxt.ExchangeNotAvailable;
  if (status >= 500) return ccxt.ExchangeError;
  if (/expires.*in the past|has expired/i.test(m)) return ccxt.InvalidNonce;
  if (/insufficient Available Balance/i.test(m)) return ccxt.InsufficientFunds;
  if (status === 404) return route === 'order' ? ccxt.OrderNotFound : ccxt.BadRequest;
  if (route === 'order') return ccxt.InvalidOrder;
  return ccxt.BadRequest;
}

class BitmexClient {
  constructor({ apiKey, secret, url, timeout = 10000, expiresIn = 60 }) {
    this.id = 'bitmex';
    this.apiKey = apiKey;
    this.secret = secret;
    this.base = new URL(url).origin;
    this.timeout = timeout;
    this.expiresIn = expiresIn;
    this.markets = undefined;
    this.has = { fetchTime: true, fetchStatus: false, fetchOrderBook: true, fetchOrder: true, fetchOpenOrders: true };
  }

  async request(method, path, { query, body, signed = false, route = '' } = {}) {
    const qs = query ? new URLSearchParams(query).toString() : '';
    const pathAndQuery = '/api/v1' + path + (qs ? '?' + qs : '');
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = { Accept: 'application/json' };
    if (text) headers['Content-Type'] = 'application/json';
    if (signed) {
      const expires = Math.floor(Date.now() / 1000) + this.expiresIn;
      headers['api-expires'] = String(expires);
      headers['api-key'] = this.apiKey;
      headers['api-signature'] = sign(this.secret, method, pathAndQuery, expires, text);
    }
    let res;
    try {
      res = await fetch(this.base + pathAndQuery, { method, headers, body: text || undefined, signal: AbortSignal.timeout(this.timeout) });
    } catch (e) {
      if (e.name === 'TimeoutError') throw new ccxt.RequestTimeout(`bitmex ${method} ${path} timed out`);
      throw new ccxt.NetworkError(`bitmex ${method} ${path}: ${e.message}`);
    }
    const raw = await res.text();
    let data;
    try { data = JSON.parse(raw); } catch { data = undefined; }
    if (!res.ok) {
      const msg = data && data.error ? data.error.message : raw.slice(0, 200);
      const Klass = classify(res.status, msg, route);
      throw new Klass(`bitmex ${res.status} ${raw.slice(0, 300)}`);
    }
    if (data === undefined) throw new ccxt.ExchangeError(`bitmex ${method} ${path}: not JSON: ${raw.slice(0, 200)}`);
    return { data, headers: res.headers };
  }

  async loadMarkets() {
    if (this.markets) return this.markets;
    const { data } = await this.request('GET', '/instrument/active');
    const markets = {};
    for (const i of data) {
      const base = ASSET(i.underlying);
      const swap = i.typ === 'FFWCSX';
      const settle = swap ? ASSET(i.settlCurrency === 'USDt' ? 'USDT' : i.settlCurrency) : undefined;
      const symbol = swap ? `${base}/${i.quoteCurrency}:${settle}` : `${base}/${i.quoteCurrency}`;
      markets[symbol] = {
        id: i.symbol, symbol, base, quote: i.quoteCurrency, settle, type: swap ? 'swap' : 'spot', spot: !swap, swap,
        contract: swap, linear: swap ? true : undefined, active: i.state === 'Open', multiplier: Number(i.underlyingToPositionMultiplier),
        precision: { amount: i.lotSize / i.underlyingToPositionMultiplier, price: i.tickSize },
        limits: { amount: { min: i.lotSize / i.underlyingToPositionMultiplier } }, info: i,
      };
    }
    this.markets = markets;
    return markets;
  }

  market(symbol) {
    const m = this.markets && this.markets[symbol];
    if (!m) throw new ccxt.BadSymbol(`bitmex does not have market symbol ${symbol}`);
    return m;
  }

  // fetchTime reads BitMEX's clock from the Date header (BitMEX has no
  // time endpoint).
  async fetchTime() {
    const { headers } = await this.request('GET', '/announcement/urgent');
    const t = Date.parse(headers.get('date'));
    if (Number.isNaN(t)) throw new ccxt.ExchangeError('bitmex: no Date header');
    return t;
  }

  async fetchBalance() {
    await this.loadMarkets();
    const { data } = await this.request('GET', '/user/margin', { query: { currency: 'all' }, signed: true });
    const out = { info: data, free: {}, used: {}, total: {} };
    for (const row of data) {
      const c = CURRENCIES[row.currency];
      if (!c) continue;
      const [code, scale] = c;
      const total = Number(row.walletBalance) / 10 ** scale;
      const free = Number(row.availableMargin) / 10 ** scale;
      out[code] = { free, used: total - free, total };
      out.free[code] = free;
      out.used[code] = total - free;
      out.total[code] = total;
    }
    return out;
  }

  async fetchTicker(symbol) {
    await this.loadMarkets();
    const m = this.market(symbol);
    const { data } = await this.request('GET', '/instrument', { query: { symbol: m.id } });
    const i = data[0];
    if (!i) throw new ccxt.BadSymbol(`bitmex: no instrument ${m.id}`);
    return {
      symbol, timestamp: Date.parse(i.timestamp), bid: i.bidPrice, ask: i.askPrice, last: i.lastPrice, close: i.lastPrice,
      high: i.highPrice, low: i.lowPrice, vwap: i.vwap, baseVolume: i.homeNotional24h, quoteVolume: i.foreignNotional24h, info: i,
    };
  }

  async fetchOrderBook(symbol, limit) {
    await this.loadMarkets();
    const m = this.market(symbol);
    const { data } = await this.request('GET', '/orderBook/L2', { query: { symbol: m.id, depth: limit || 25 } });
    const level = (l) => [l.price, l.size / m.multiplier];
    const bids = data.filter((l) => l.side === 'Buy').map(level).sort((a, b) => b[0] - a[0]);
    const asks = data.filter((l) => l.side === 'Sell').map(level).sort((a, b) => a[0] - b[0]);
    return { symbol, bids, asks, timestamp: data.length ? Date.parse(data[0].timestamp) : undefined };
  }

  parseOrder(o) {
    const m = Object.values(this.markets || {}).find((x) => x.id === o.symbol);
    const mult = m ? m.multiplier : 1;
    const statuses = { New: 'open', PartiallyFilled: 'open', Filled: 'closed', Canceled: 'canceled', Rejected: 'rejected' };
    return {
      id: o.orderID, clientOrderId: o.clOrdID || undefined, symbol: m ? m.symbol : o.symbol, timestamp: Date.parse(o.transactTime),
      status: statuses[o.ordStatus] || o.ordStatus, type: String(o.ordType).toLowerCase(), side: String(o.side).toLowerCase(),
      price: o.price === null ? undefined : o.price, average: o.avgPx === null ? undefined : o.avgPx,
      amount: o.orderQty / mult, filled: o.cumQty / mult, remaining: o.leavesQty / mult, timeInForce: o.timeInForce, info: o,
    };
  }

  async createOrder(symbol, type, side, amount, price) {
    await this.loadMarkets();
    const m = this.market(symbol);
    const body = { symbol: m.id, side: side === 'buy' ? 'Buy' : 'Sell', orderQty: Math.round(amount * m.multiplier), ordType: type === 'market' ? 'Market' : 'Limit' };
    if (type !== 'market') body.price = price;
    const { data } = await this.request('POST', '/order', { body, signed: true, route: 'order' });
    return this.parseOrder(data);
  }

  async fetchOrder(id) {
    await this.loadMarkets();
    const { data } = await this.request('GET', '/order', { query: { filter: JSON.stringify({ orderID: id }), count: 1 }, signed: true, route: 'order' });
    if (!data.length) throw new ccxt.OrderNotFound(`bitmex: order ${id} not found`);
    return this.parseOrder(data[0]);
  }

  async fetchOpenOrders(symbol) {
    await this.loadMarkets();
    const query = { filter: JSON.stringify({ open: true }), count: 500 };
    if (symbol) query.symbol = this.market(symbol).id;
    const { data } = await this.request('GET', '/order', { query, signed: true, route: 'order' });
    return data.map((o) => this.parseOrder(o));
  }

  async cancelOrder(id) {
    await this.loadMarkets();
    const { data } = await this.request('DELETE', '/order', { body: { orderID: id }, signed: true, route: 'order' });
    const o = data[0];
    if (o && o.error) throw new ccxt.InvalidOrder(`bitmex cancelOrder ${id}: ${o.error}`);
    return this.parseOrder(o);
  }
}

module.exports = { BitmexClient, sign, classify };

// DPoP (RFC 9449): proofs checked with Node's WebCrypto (test-support/dpop-proofs.js), the key kept in an
// IndexedDB stand-in (test-support/fake-indexeddb.js), against the fake gateway's DPoP checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTollgateClient, TollgateError } from '../src/index.js';
import { fakeGateway, fakeAxios, flush } from '../test-support/fake-gateway.js';
import { fakeBrowser, memoryStorage } from '../test-support/fake-browser.js';
import { fakeIndexedDB } from '../test-support/fake-indexeddb.js';
import { tokenHash, verifyProof } from '../test-support/dpop-proofs.js';

const credentials = { username: 'ada', password: 'secret' };
const baseUrl = 'https://gw.test';
const keysIn = (idb) => idb.contents('tollgate-dpop', 'keys');

function setUp({ mode = 'body', nonce = 'off', dpop = true, indexedDB = fakeIndexedDB(), ...options } = {}) {
  const gw = fakeGateway({ mode, dpop: { nonce } });
  const open = (more = {}) => createTollgateClient({
    baseUrl, fetch: gw.fetch, mode, dpop: dpop === true ? { indexedDB } : { indexedDB, ...dpop }, ...options, ...more,
  });
  return { gw, idb: indexedDB, client: open(), open };
}

test('login carries a proof the gateway can verify: header, claims, no ath, and a public key only', async () => {
  const { gw, client } = setUp();
  await client.login(credentials);
  const login = gw.calls[0];
  const { header, claims } = await verifyProof(login.dpop, { method: 'POST', url: `${baseUrl}/auth/login` });
  assert.equal(header.typ, 'dpop+jwt');
  assert.equal(header.alg, 'ES256');
  assert.deepEqual(Object.keys(header.jwk).sort(), ['crv', 'kty', 'x', 'y']);
  assert.equal(header.jwk.crv, 'P-256');
  assert.deepEqual(Object.keys(claims).sort(), ['htm', 'htu', 'iat', 'jti']);
  assert.equal(claims.htm, 'POST');
  assert.equal(claims.htu, 'https://gw.test/auth/login');
  assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 5);
  assert.equal(Buffer.from(claims.jti, 'base64url').length, 16, '128 random bits');
  assert.ok(login.jkt, 'the gateway bound the session');
});

test('a bound token goes as Authorization: DPoP with a proof of it (ath), htu without query and fragment', async () => {
  const { gw, client } = setUp();
  await client.login(credentials);
  const response = await client.fetch('/api/orders?page=2#top', { method: 'patch' });
  assert.equal(response.status, 200);
  const call = gw.calls.at(-1);
  assert.equal(call.authorization, 'DPoP a1');
  assert.equal(call.method, 'PATCH', 'sent upper case, as htm says');
  const { claims, jkt } = await verifyProof(call.dpop, { method: 'PATCH', url: `${baseUrl}/api/orders`, accessToken: 'a1' });
  assert.equal(claims.htu, 'https://gw.test/api/orders');
  assert.equal(claims.ath, await tokenHash('a1'));
  assert.equal(jkt, gw.calls[0].jkt, 'the key of the login');

  await client.fetch(new Request(`${baseUrl}/api/items`, { method: 'POST', body: 'x' }));
  const jtis = gw.calls.map((c) => c.proof.claims.jti);
  assert.equal(new Set(jtis).size, jtis.length, 'a fresh jti per proof');
});

test('the private key is not extractable, and the stored key is the one that signs', async () => {
  const { gw, idb, client } = setUp();
  await client.login(credentials);
  const records = [...keysIn(idb).values()];
  assert.equal(records.length, 1);
  assert.equal(records[0].privateKey.extractable, false);
  await assert.rejects(globalThis.crypto.subtle.exportKey('jwk', records[0].privateKey));
  assert.deepEqual(records[0].jwk, gw.calls[0].proof.header.jwk);
});

test('dpop: { algorithm: "EdDSA" } signs with Ed25519 (jwk kty/crv/x only)', async () => {
  const { gw, client } = setUp({ dpop: { algorithm: 'EdDSA' } });
  await client.login(credentials);
  assert.equal((await client.fetch('/api/orders')).status, 200);
  for (const call of gw.calls) {
    assert.equal(call.proof.header.alg, 'EdDSA');
    assert.deepEqual(call.proof.header.jwk, { kty: 'OKP', crv: 'Ed25519', x: call.proof.header.jwk.x });
  }
});

test('EdDSA falls back to ES256 where the browser cannot make Ed25519 keys', async (t) => {
  const subtle = globalThis.crypto.subtle;
  const generateKey = subtle.generateKey.bind(subtle);
  t.mock.method(subtle, 'generateKey', (algorithm, ...rest) => (algorithm.name === 'Ed25519'
    ? Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError')) : generateKey(algorithm, ...rest)));
  const { gw, client } = setUp({ dpop: { algorithm: 'EdDSA' } });
  await client.login(credentials);
  assert.equal(gw.calls[0].proof.header.alg, 'ES256');
  assert.equal((await client.fetch('/api/orders')).status, 200);
});

test('a gateway that answers tokenType Bearer (DPoP off) gets Bearer and no proof on requests', async () => {
  const gw = fakeGateway(); // no DPoP: ignores the proof, binds nothing
  const client = createTollgateClient({ baseUrl, fetch: gw.fetch, dpop: { indexedDB: fakeIndexedDB() } });
  await client.login(credentials);
  assert.ok(gw.calls[0].dpop, 'login still offered a proof');
  assert.equal((await client.fetch('/api/orders')).status, 200);
  assert.equal(gw.calls.at(-1).authorization, 'Bearer a1');
  assert.equal(gw.calls.at(-1).dpop, null);
});

test('without the option nothing changes: no proof anywhere, no key made', async () => {
  const idb = fakeIndexedDB();
  const gw = fakeGateway({ dpop: { nonce: 'off' } });
  const client = createTollgateClient({ baseUrl, fetch: gw.fetch });
  await client.login(credentials);
  await client.fetch('/api/orders');
  assert.deepEqual(gw.calls.map((c) => [c.dpop, c.authorization]), [[null, null], [null, 'Bearer a1']]);
  assert.equal(keysIn(idb).size, 0);
});

for (const mode of ['body', 'cookie']) {
  test(`${mode} mode: login and refresh answered use_dpop_nonce (400) are tried once more, with the nonce`, async () => {
    const { gw, client } = setUp({ mode, nonce: 'token-endpoint' });
    await client.login(credentials);
    assert.deepEqual(gw.calls.map((c) => c.proof.claims.nonce), [undefined, 'n1']);
    assert.equal(client.getAccessToken(), 'a1');

    gw.rotateNonce(); // the remembered n1 is stale now
    gw.expireAccessToken();
    assert.equal((await client.fetch('/api/orders')).status, 200);
    const refreshes = gw.calls.filter((c) => c.path === '/auth/refresh');
    assert.deepEqual(refreshes.map((c) => c.proof.claims.nonce), ['n1', 'n2']);
    assert.equal(gw.calls.at(-1).authorization, 'DPoP a2');
    assert.deepEqual(gw.dpopRejections, ['nonce undefined', 'nonce n1']);
  });

  test(`${mode} mode: a reload keeps the key, and the session follows it; another browser's key does not`, async () => {
    const { gw, idb, client, open } = setUp({ mode });
    await client.login(credentials);
    const storage = mode === 'body' ? memoryStorage(gw.refreshToken) : undefined;

    const reloaded = open({ storage });
    assert.equal(await reloaded.refresh(), true);
    assert.equal(gw.calls.at(-1).jkt, gw.calls[0].jkt);
    assert.equal((await reloaded.fetch('/api/orders')).status, 200);
    assert.equal(keysIn(idb).size, 1);

    // The refresh token (or the cookie) copied to a browser without the key is of no use.
    const thief = open({ storage: mode === 'body' ? memoryStorage(gw.refreshToken) : undefined,
      dpop: { indexedDB: fakeIndexedDB() } });
    assert.equal(await thief.refresh(), false);
    assert.deepEqual(gw.dpopRejections, ['refresh without the bound key']);
  });

  test(`${mode} mode: logout drops the key and the next login makes a new one`, async () => {
    const { gw, idb, client } = setUp({ mode });
    await client.login(credentials);
    const first = gw.calls[0].jkt;
    assert.equal(await client.logout(), true);
    assert.ok(gw.calls.at(-1).dpop, 'the logout carried a proof');
    assert.equal(keysIn(idb).size, 0);

    await client.login(credentials);
    assert.notEqual(gw.calls.at(-1).jkt, first);
    assert.equal(keysIn(idb).size, 1);
    assert.equal((await client.fetch('/api/orders')).status, 200);
  });

  test(`${mode} mode: four tabs restored at once share one key and make one refresh, proved by it`, async () => {
    const idb = fakeIndexedDB();
    const gw = fakeGateway({ mode, dpop: { nonce: 'off' } });
    const browser = fakeBrowser();
    const storage = mode === 'body' ? memoryStorage() : null;
    const open = () => createTollgateClient({ baseUrl, fetch: gw.fetch, mode, storage, crossTab: browser.tab(),
      dpop: { indexedDB: idb } });
    const first = open();
    await first.login(credentials);
    const tabs = [first, ...Array.from({ length: 4 }, open)]; // opened (or reloaded) after the login

    assert.deepEqual(await Promise.all(tabs.slice(1).map((c) => c.refresh())), [true, true, true, true]);
    assert.equal(gw.count('/auth/refresh'), 1);
    assert.equal(gw.reuses, 0);
    await flush();
    const responses = await Promise.all(tabs.map((c) => c.fetch('/api/orders')));
    assert.deepEqual(responses.map((r) => r.status), Array(5).fill(200));
    assert.deepEqual(new Set(gw.calls.map((c) => c.jkt)).size, 1, 'one key for login, refresh and every tab');
    assert.deepEqual(gw.calls.slice(-5).map((c) => c.authorization), Array(5).fill('DPoP a2'));
    assert.equal(keysIn(idb).size, 1);
  });
}

test('a request answered use_dpop_nonce (401) goes once more with the new nonce, without a refresh', async () => {
  const { gw, client } = setUp({ nonce: 'always' });
  await client.login(credentials);
  gw.rotateNonce();
  const response = await client.fetch(new Request(`${baseUrl}/api/upload`, { method: 'POST', body: 'payload' }));
  assert.equal(response.status, 200);
  const sent = gw.calls.filter((c) => c.path === '/api/upload');
  assert.deepEqual(sent.map((c) => c.proof.claims.nonce), ['n1', 'n2']);
  assert.equal(gw.count('/auth/refresh'), 0);

  // Another origin has nonces of its own: this one's is not sent there.
  await client.fetch('https://other.test/api/x');
  assert.equal(gw.calls.find((c) => c.path === '/api/x').proof.claims.nonce, undefined);
});

test('a second nonce challenge is returned as it is: once, not twice', async () => {
  const gw = fakeGateway({ dpop: { nonce: 'always' } });
  let stubborn = true;
  const fetch = async (input, init) => {
    const response = await gw.fetch(input, init);
    if (stubborn) gw.rotateNonce(); // every answer's nonce is stale by the time it is used
    return response;
  };
  const client = createTollgateClient({ baseUrl, fetch, dpop: { indexedDB: fakeIndexedDB() } });
  await assert.rejects(client.login(credentials), (e) => e instanceof TollgateError && e.code === 'use_dpop_nonce');
  assert.equal(gw.count('/auth/login'), 2);

  stubborn = false;
  await client.login(credentials);
  stubborn = true;
  gw.rotateNonce();
  const before = gw.calls.length;
  const response = await client.fetch('/api/orders');
  assert.equal(response.status, 401);
  assert.match(response.headers.get('www-authenticate'), /error="use_dpop_nonce"/);
  assert.equal(gw.calls.length - before, 2, 'the request and its one retry; no refresh');
  assert.equal(client.isAuthenticated(), true, 'a nonce challenge is no reason to end the session');
});

test('ten parallel calls after expiry with DPoP share one refresh, each replayed once with a new proof', async () => {
  const { gw, client } = setUp();
  await client.login(credentials);
  gw.expireAccessToken();
  const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => client.fetch(`/api/item/${i}`)));
  assert.deepEqual(responses.map((r) => r.status), Array(10).fill(200));
  assert.equal(gw.count('/auth/refresh'), 1);
  const replays = gw.calls.filter((c) => c.authorization === 'DPoP a2');
  assert.equal(replays.length, 10);
  for (const call of replays) assert.equal(call.proof.claims.ath, await tokenHash('a2'));
});

test('two tabs that find no key at the same moment end up with one (add only when absent, then re-read)', async () => {
  const idb = fakeIndexedDB();
  const gw = fakeGateway({ mode: 'cookie', dpop: { nonce: 'off' } });
  // No Web Locks between them: only IndexedDB keeps them from making two keys.
  const open = () => createTollgateClient({ baseUrl, fetch: gw.fetch, mode: 'cookie', crossTab: false,
    dpop: { indexedDB: idb } });
  await Promise.all([open().refresh(), open().refresh()]);
  assert.equal(idb.constraintErrors, 1, 'both made a key, one add lost');
  assert.equal(new Set(gw.calls.map((c) => c.jkt)).size, 1);
  assert.equal(keysIn(idb).size, 1);
});

test('axios: DPoP scheme and proof per request, one nonce retry, the refresh replay with a new proof', async () => {
  const { gw, client } = setUp({ nonce: 'always' });
  const api = fakeAxios(gw.fetch);
  client.axiosInterceptors(api);
  await client.login(credentials);

  const { data } = await api.request({ url: `${baseUrl}/api/orders?x=1`, method: 'post' });
  assert.equal(data.token, 'a1');
  const call = gw.calls.at(-1);
  assert.equal(call.authorization, 'DPoP a1');
  await verifyProof(call.dpop, { method: 'POST', url: `${baseUrl}/api/orders`, accessToken: 'a1' });

  gw.rotateNonce();
  await api.request({ url: `${baseUrl}/api/nonce` });
  assert.deepEqual(gw.calls.filter((c) => c.path === '/api/nonce').map((c) => c.proof.claims.nonce), ['n1', 'n2']);

  gw.expireAccessToken();
  await api.request({ url: `${baseUrl}/api/expired` });
  assert.deepEqual(gw.calls.filter((c) => c.path === '/api/expired').map((c) => c.authorization), ['DPoP a1', 'DPoP a2']);
  assert.equal(gw.count('/auth/refresh'), 1);
});

test('the real axios (fetch adapter): DPoP proofs for its URLs, its header objects, one nonce retry', async () => {
  const { default: axios } = await import('axios');
  const { gw, client } = setUp({ nonce: 'always' });
  const api = axios.create({ baseURL: `${baseUrl}/api`, adapter: 'fetch', env: { fetch: gw.fetch } });
  client.axiosInterceptors(api);
  await client.login(credentials);

  gw.rotateNonce();
  const { data } = await api.get('orders', { params: { page: 2 } });
  assert.equal(data.token, 'a1');
  const sent = gw.calls.filter((c) => c.path === '/api/orders');
  assert.deepEqual(sent.map((c) => c.proof.claims.nonce), ['n1', 'n2']);
  await verifyProof(sent[1].dpop, { method: 'GET', url: `${baseUrl}/api/orders`, accessToken: 'a1' });
  assert.equal(sent[1].authorization, 'DPoP a1');
});

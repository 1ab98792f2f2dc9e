// Renewal before expiry: the client knows `expiresIn`, so a request made in the access token's last
// stretch refreshes first and never meets the 401 (which stays the fallback).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTollgateClient } from '../src/index.js';
import { fakeGateway, fakeAxios } from '../test-support/fake-gateway.js';

/** A logged-in client whose clock (Date.now) the test moves; `at(seconds)` sets it, from the login. */
async function loggedIn(t, { expiresIn = 900, ...options } = {}) {
  let now = 5_000_000;
  t.mock.method(Date, 'now', () => now);
  const gw = fakeGateway({ expiresIn });
  const client = createTollgateClient({ fetch: gw.fetch, ...options });
  await client.login({ username: 'ada', password: 'secret' });
  const start = now;
  return { gw, client, at: (seconds) => { now = start + seconds * 1000; } };
}

const trail = (gw, from) => gw.calls.slice(from).map((c) => `${c.path} ${c.authorization ?? ''}`.trim());

test('a request in the token\'s last 30 s refreshes first and goes out once, with the new token', async (t) => {
  const { gw, client, at } = await loggedIn(t);
  at(871);
  const before = gw.calls.length;
  assert.equal((await client.fetch('/api/orders')).status, 200);
  assert.deepEqual(trail(gw, before), ['/auth/refresh', '/api/orders Bearer a2']);
});

test('a request before the last 30 s does not refresh', async (t) => {
  const { gw, client, at } = await loggedIn(t);
  at(869);
  await client.fetch('/api/orders');
  assert.equal(gw.count('/auth/refresh'), 0);
});

test('a request after the token expired (the tab slept) refreshes first too', async (t) => {
  const { gw, client, at } = await loggedIn(t);
  at(3600);
  gw.expireAccessToken();
  const before = gw.calls.length;
  assert.equal((await client.fetch('/api/orders')).status, 200);
  assert.deepEqual(trail(gw, before), ['/auth/refresh', '/api/orders Bearer a2']);
});

test('a short-lived token is renewed in the last quarter of its life, not on every request', async (t) => {
  const { gw, client, at } = await loggedIn(t, { expiresIn: 8 });
  at(5.9);
  await client.fetch('/api/a');
  assert.equal(gw.count('/auth/refresh'), 0);
  at(6.1);
  await client.fetch('/api/b');
  assert.equal(gw.count('/auth/refresh'), 1);
});

test('renewBeforeSeconds sets the margin', async (t) => {
  const { gw, client, at } = await loggedIn(t, { renewBeforeSeconds: 120 });
  at(781);
  await client.fetch('/api/orders');
  assert.equal(gw.count('/auth/refresh'), 1);
});

test('ten requests in the last stretch share one renewal', async (t) => {
  const { gw, client, at } = await loggedIn(t);
  at(890);
  const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => client.fetch(`/api/item/${i}`)));
  assert.deepEqual(responses.map((r) => r.status), Array(10).fill(200));
  assert.equal(gw.count('/auth/refresh'), 1);
  assert.deepEqual(gw.calls.filter((c) => c.path.startsWith('/api/')).map((c) => c.authorization),
    Array(10).fill('Bearer a2'));
});

test('axios: the request interceptor renews a token about to expire', async (t) => {
  const { gw, client, at } = await loggedIn(t);
  const axios = fakeAxios(gw.fetch);
  client.axiosInterceptors(axios);
  at(880);
  const before = gw.calls.length;
  assert.equal((await axios.request({ url: '/api/orders' })).data.token, 'a2');
  assert.deepEqual(trail(gw, before), ['/auth/refresh', '/api/orders Bearer a2']);
});

test('if the renewal fails for now (503), the request still goes, and its 401 is the fallback', async (t) => {
  const { gw, client, at } = await loggedIn(t);
  at(880);
  gw.refreshResult = 503;
  const response = await client.fetch('/api/orders');
  assert.equal(response.status, 200, 'the token was still valid');
  assert.equal(gw.count('/auth/refresh'), 1);
  assert.equal(client.getAccessToken(), 'a1', 'the session is kept');
});

test('without expiresIn in the token response only a 401 leads to a refresh', async (t) => {
  const { gw, client, at } = await loggedIn(t, { expiresIn: null });
  at(86_400);
  await client.fetch('/api/orders');
  assert.equal(gw.count('/auth/refresh'), 0);
  gw.expireAccessToken();
  const before = gw.calls.length;
  assert.equal((await client.fetch('/api/orders')).status, 200);
  assert.deepEqual(trail(gw, before), ['/api/orders Bearer a1', '/auth/refresh', '/api/orders Bearer a2']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTollgateClient } from '../src/index.js';
import { fakeGateway, until, flush } from '../test-support/fake-gateway.js';

async function loggedIn(options = {}) {
  const gw = fakeGateway({ mode: options.mode });
  const logouts = [];
  const client = createTollgateClient({ fetch: gw.fetch, onLogout: (info) => logouts.push(info), ...options });
  await client.login({ username: 'ada', password: 'secret' });
  return { gw, client, logouts };
}

test('fetch adds the access token to the request', async () => {
  const { gw, client } = await loggedIn();
  const response = await client.fetch('/api/orders');
  assert.equal(response.status, 200);
  assert.equal(gw.calls.at(-1).authorization, 'Bearer a1');
});

test('ten parallel calls rejected with invalid_token share exactly one refresh and all succeed', async () => {
  const { gw, client } = await loggedIn();
  gw.expireAccessToken();
  const release = gw.hold('/auth/refresh');

  const calls = Array.from({ length: 10 }, (_, i) => client.fetch(`/api/item/${i}`));
  await until(() => gw.count('/auth/refresh') === 1 && gw.calls.filter((c) => c.authorization === 'Bearer a1').length === 10,
    'all ten 401s while the refresh is held');
  release();
  const responses = await Promise.all(calls);

  assert.deepEqual(responses.map((r) => r.status), Array(10).fill(200));
  assert.deepEqual((await Promise.all(responses.map((r) => r.json()))).map((b) => b.token), Array(10).fill('a2'));
  assert.equal(gw.count('/auth/refresh'), 1);
  assert.equal(client.getAccessToken(), 'a2');
});

test('calls started while a refresh is in flight wait for it and go out once, with the new token', async () => {
  const { gw, client } = await loggedIn();
  gw.expireAccessToken();
  const release = gw.hold('/auth/refresh');

  const first = client.fetch('/api/first');
  await until(() => gw.count('/auth/refresh') === 1, 'the refresh to start');
  const later = [client.fetch('/api/later/1'), client.fetch('/api/later/2'), client.fetch('/api/later/3')];
  await flush();
  assert.equal(gw.calls.filter((c) => c.path.startsWith('/api/later')).length, 0, 'nothing sent before the refresh ends');

  release();
  const responses = await Promise.all([first, ...later]);
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200]);
  const laterCalls = gw.calls.filter((c) => c.path.startsWith('/api/later'));
  assert.deepEqual(laterCalls.map((c) => c.authorization), Array(3).fill('Bearer a2'));
  assert.equal(gw.count('/auth/refresh'), 1);
});

test('a 401 that arrives after the refresh finished is replayed with the new token, no second refresh', async () => {
  const { gw, client } = await loggedIn();
  gw.expireAccessToken();
  const releaseSlow = gw.hold('/api/slow');
  const slow = client.fetch('/api/slow'); // leaves with a1, answered late
  await until(() => gw.count('/api/slow') === 1, 'the slow call to leave');
  assert.equal((await client.fetch('/api/fast')).status, 200); // refreshes to a2
  releaseSlow();

  assert.equal((await slow).status, 200);
  assert.deepEqual(gw.calls.filter((c) => c.path === '/api/slow').map((c) => c.authorization), ['Bearer a1', 'Bearer a2']);
  assert.equal(gw.count('/auth/refresh'), 1);
});

test('a rejected refresh logs out once, never refreshes again, and every caller gets its 401', async () => {
  const { gw, client, logouts } = await loggedIn();
  gw.expireAccessToken();
  gw.refreshResult = 401;

  const responses = await Promise.all(Array.from({ length: 5 }, () => client.fetch('/api/orders')));
  assert.deepEqual(responses.map((r) => r.status), Array(5).fill(401));
  assert.match(responses[0].headers.get('www-authenticate'), /invalid_token/);
  assert.deepEqual(logouts, [{ reason: 'refresh_failed' }]);
  assert.equal(client.isAuthenticated(), false);
  assert.equal(client.getAccessToken(), null);

  const after = await client.fetch('/api/orders');
  assert.equal(after.status, 401);
  assert.equal(after.headers.get('www-authenticate'), 'Bearer realm="tollgate"', 'sent without a token');
  assert.equal(gw.count('/auth/refresh'), 1);
  assert.equal(logouts.length, 1);
});

test('cookie mode: a 401 that arrives after a failed refresh does not start another one', async () => {
  const { gw, client, logouts } = await loggedIn({ mode: 'cookie' });
  gw.expireAccessToken();
  gw.refreshResult = 401;
  const releaseSlow = gw.hold('/api/slow');
  const slow = client.fetch('/api/slow');
  await until(() => gw.count('/api/slow') === 1, 'the slow call to leave');
  assert.equal((await client.fetch('/api/fast')).status, 401); // refresh fails, session ends
  releaseSlow();

  assert.equal((await slow).status, 401);
  assert.equal(gw.count('/auth/refresh'), 1);
  assert.equal(logouts.length, 1);
});

test('a 403 from the refresh endpoint (cross-site refused) also logs out', async () => {
  const { gw, client, logouts } = await loggedIn();
  gw.expireAccessToken();
  gw.refreshResult = 403;
  assert.equal((await client.fetch('/api/orders')).status, 401);
  assert.deepEqual(logouts, [{ reason: 'refresh_failed' }]);
});

test('a network error during refresh logs out once and resolves with the 401', async () => {
  const { gw, client, logouts } = await loggedIn();
  gw.expireAccessToken();
  gw.refreshResult = 'network';
  const responses = await Promise.all([client.fetch('/api/a'), client.fetch('/api/b')]);
  assert.deepEqual(responses.map((r) => r.status), [401, 401]);
  assert.equal(gw.count('/auth/refresh'), 1);
  assert.deepEqual(logouts, [{ reason: 'refresh_failed' }]);
});

test('a 503 from the refresh endpoint keeps the session so a later call can refresh', async () => {
  const { gw, client, logouts } = await loggedIn();
  gw.expireAccessToken();
  gw.refreshResult = 503;
  assert.equal((await client.fetch('/api/orders')).status, 401);
  assert.deepEqual(logouts, []);

  gw.refreshResult = 'ok';
  const response = await client.fetch('/api/orders');
  assert.equal(response.status, 200);
  assert.equal(gw.count('/auth/refresh'), 2);
});

test('a refreshed token that is rejected again is returned, not refreshed in a loop', { timeout: 5000 }, async () => {
  const { gw, client } = await loggedIn();
  gw.rejectAllAccessTokens = true;
  const before = gw.calls.length;

  const response = await client.fetch('/api/orders');
  assert.equal(response.status, 401);
  // Exactly: the call, one refresh, one replay.
  assert.deepEqual(gw.calls.slice(before).map((c) => `${c.path} ${c.authorization ?? ''}`.trim()),
    ['/api/orders Bearer a1', '/auth/refresh', '/api/orders Bearer a2']);

  const parallel = await Promise.all([client.fetch('/api/x'), client.fetch('/api/y'), client.fetch('/api/z')]);
  assert.deepEqual(parallel.map((r) => r.status), [401, 401, 401]);
  assert.equal(gw.calls.length - before, 3 + 7, 'three calls, one shared refresh, three replays');
});

test('a 401 without error="invalid_token" (no token sent) is returned without a refresh', async () => {
  const gw = fakeGateway();
  const client = createTollgateClient({ fetch: gw.fetch });
  const response = await client.fetch('/api/orders');
  assert.equal(response.status, 401);
  assert.equal(gw.calls.length, 1);
});

test('a 401 with only a realm is returned without a refresh even when logged in', async () => {
  const gw = fakeGateway();
  const client = createTollgateClient({
    fetch: (input, init) => (String(input).startsWith('/auth/') ? gw.fetch(input, init)
      : new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="tollgate"' } })),
  });
  await client.login({ username: 'ada', password: 'secret' });
  assert.equal((await client.fetch('/api/orders')).status, 401);
  assert.equal(gw.count('/auth/refresh'), 0);
  assert.equal(client.isAuthenticated(), true);
});

test('a 403 is returned without a refresh', async () => {
  const { gw, client } = await loggedIn();
  const response = await client.fetch('/forbidden');
  assert.equal(response.status, 403);
  assert.equal(gw.count('/auth/refresh'), 0);
  assert.equal(gw.count('/forbidden'), 1);
});

test('a ReadableStream body is not replayed: the caller gets the 401', async () => {
  const { gw, client } = await loggedIn();
  gw.expireAccessToken();
  const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('chunk')); c.close(); } });
  const response = await client.fetch('/api/upload', { method: 'POST', body, duplex: 'half' });
  assert.equal(response.status, 401);
  assert.equal(gw.count('/api/upload'), 1);
  assert.equal(gw.count('/auth/refresh'), 0);
});

test('a Request whose body was already used is not replayed', async () => {
  const { gw, client } = await loggedIn();
  gw.expireAccessToken();
  const request = new Request('http://gateway.test/api/upload', { method: 'POST', body: 'payload' });
  await request.text();
  const response = await client.fetch(request);
  assert.equal(response.status, 401);
  assert.equal(gw.count('/api/upload'), 1);
  assert.equal(gw.count('/auth/refresh'), 0);
});

test('a Request with an unread body is replayed from a copy taken before sending', async () => {
  const gw = fakeGateway();
  const sent = [];
  const reading = createTollgateClient({
    fetch: async (input, init) => {
      if (typeof input === 'object') sent.push(await input.text()); // consume it, as real fetch does
      return gw.fetch(input, init);
    },
  });
  await reading.login({ username: 'ada', password: 'secret' });
  gw.expireAccessToken();
  const response = await reading.fetch(new Request('http://gateway.test/api/upload', { method: 'POST', body: 'payload' }));
  assert.equal(response.status, 200);
  assert.deepEqual(sent, ['payload', 'payload']);
  assert.equal(gw.count('/auth/refresh'), 1);
});

test('baseUrl prefixes the auth endpoints and relative request paths', async () => {
  const gw = fakeGateway();
  const urls = [];
  const client = createTollgateClient({
    baseUrl: 'https://api.example.test',
    fetch: (input, init) => { urls.push(String(input)); return gw.fetch(input, init); },
  });
  await client.login({ username: 'ada', password: 'secret' });
  await client.fetch('/api/orders');
  await client.fetch('https://elsewhere.test/x');
  assert.deepEqual(urls, ['https://api.example.test/auth/login', 'https://api.example.test/api/orders', 'https://elsewhere.test/x']);
});

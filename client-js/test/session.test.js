import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTollgateClient, TollgateError } from '../src/index.js';
import { fakeGateway, until } from '../test-support/fake-gateway.js';
import { memoryStorage } from '../test-support/fake-browser.js';

const credentials = { username: 'ada', password: 'secret' };

test('login posts the credentials as JSON and keeps the access token', async () => {
  const gw = fakeGateway();
  const client = createTollgateClient({ fetch: gw.fetch });
  assert.equal(client.isAuthenticated(), false);
  await client.login(credentials);
  const call = gw.calls[0];
  assert.equal(call.path, '/auth/login');
  assert.equal(call.method, 'POST');
  assert.deepEqual(JSON.parse(call.body), credentials);
  assert.equal(client.getAccessToken(), 'a1');
  assert.equal(client.isAuthenticated(), true);
});

test('failed login throws a TollgateError carrying the problem code', async () => {
  const gw = fakeGateway();
  const client = createTollgateClient({ fetch: gw.fetch });
  await assert.rejects(client.login({ username: 'ada', password: 'wrong' }),
    (e) => e instanceof TollgateError && e.status === 401 && e.code === 'invalid_credentials');
  assert.equal(client.isAuthenticated(), false);
});

test('body mode: refresh sends the current refresh token and keeps the rotated one', async () => {
  const gw = fakeGateway();
  const storage = memoryStorage();
  const client = createTollgateClient({ fetch: gw.fetch, storage });
  await client.login(credentials);

  gw.expireAccessToken();
  assert.equal((await client.fetch('/api/a')).status, 200);
  gw.expireAccessToken();
  assert.equal((await client.fetch('/api/b')).status, 200);

  const refreshes = gw.calls.filter((c) => c.path === '/auth/refresh');
  assert.deepEqual(refreshes.map((c) => JSON.parse(c.body)), [{ refreshToken: 'r1' }, { refreshToken: 'r2' }]);
  assert.equal(refreshes[0].credentials, undefined);
  assert.deepEqual(storage.log, [['set', 'r1'], ['set', 'r2'], ['set', 'r3']]);
});

test('body mode: a stored refresh token restores the session through refresh()', async () => {
  const gw = fakeGateway();
  const first = createTollgateClient({ fetch: gw.fetch });
  await first.login(credentials);

  const client = createTollgateClient({ fetch: gw.fetch, storage: memoryStorage('r1') });
  assert.equal(client.isAuthenticated(), false);
  assert.equal(await client.refresh(), true);
  assert.equal(client.getAccessToken(), 'a2');
});

test('body mode: refresh() without a refresh token does not call the gateway', async () => {
  const gw = fakeGateway();
  const client = createTollgateClient({ fetch: gw.fetch });
  assert.equal(await client.refresh(), false);
  assert.equal(gw.calls.length, 0);
});

test('cookie mode: refresh is credentialed, has no body, and no refresh token is ever held', async () => {
  const gw = fakeGateway({ mode: 'cookie' });
  const storage = memoryStorage();
  const client = createTollgateClient({ fetch: gw.fetch, mode: 'cookie', storage });
  await client.login(credentials);
  assert.equal(gw.calls[0].credentials, 'include', 'login too, or a cross-origin Set-Cookie is dropped');

  gw.expireAccessToken();
  assert.equal((await client.fetch('/api/orders')).status, 200);
  const refresh = gw.calls.find((c) => c.path === '/auth/refresh');
  assert.equal(refresh.credentials, 'include');
  assert.equal(refresh.body, null);
  assert.equal(refresh.authorization, null);
  assert.deepEqual(storage.log, [], 'storage is a body-mode feature');
  assert.equal(client.getAccessToken(), 'a2');
});

test('cookie mode: a refresh token in the JSON body (misconfigured gateway) is ignored', async () => {
  const gw = fakeGateway(); // body-mode gateway: sends refreshToken in JSON
  const storage = memoryStorage();
  const client = createTollgateClient({ fetch: gw.fetch, mode: 'cookie', storage });
  await client.login(credentials);
  gw.expireAccessToken();
  await client.fetch('/api/orders');
  const refresh = gw.calls.find((c) => c.path === '/auth/refresh');
  assert.equal(refresh.body, null);
  assert.deepEqual(storage.log, []);
});

test('cookie mode: logout is credentialed and has no body', async () => {
  const gw = fakeGateway({ mode: 'cookie' });
  const client = createTollgateClient({ fetch: gw.fetch, mode: 'cookie' });
  await client.login(credentials);
  assert.equal(await client.logout(), true);
  const logout = gw.calls.at(-1);
  assert.equal(logout.path, '/auth/logout');
  assert.equal(logout.credentials, 'include');
  assert.equal(logout.body, null);
});

test('logout posts the refresh token, clears state and calls onLogout once', async () => {
  const gw = fakeGateway();
  const storage = memoryStorage();
  const logouts = [];
  const client = createTollgateClient({ fetch: gw.fetch, storage, onLogout: (i) => logouts.push(i) });
  await client.login(credentials);

  assert.equal(await client.logout(), true);
  const call = gw.calls.at(-1);
  assert.equal(call.path, '/auth/logout');
  assert.deepEqual(JSON.parse(call.body), { refreshToken: 'r1' });
  assert.equal(client.isAuthenticated(), false);
  assert.equal(storage.get(), null);
  assert.deepEqual(logouts, [{ reason: 'logout' }]);

  assert.equal(await client.logout(), false, 'nothing left to revoke');
  assert.equal(gw.count('/auth/logout'), 1);
  assert.equal(logouts.length, 1);
});

for (const failure of [500, 'network']) {
  test(`logout clears state even when the gateway fails (${failure})`, async () => {
    const gw = fakeGateway();
    const logouts = [];
    const client = createTollgateClient({ fetch: gw.fetch, onLogout: (i) => logouts.push(i) });
    await client.login(credentials);
    gw.logoutResult = failure;

    assert.equal(await client.logout(), false);
    assert.equal(client.isAuthenticated(), false);
    assert.equal(client.getAccessToken(), null);
    assert.deepEqual(logouts, [{ reason: 'logout' }]);
    gw.expireAccessToken();
    await client.fetch('/api/orders');
    assert.equal(gw.count('/auth/refresh'), 0, 'the forgotten refresh token is not used');
  });
}

test('logout during a refresh waits for it and revokes the rotated token', async () => {
  const gw = fakeGateway();
  const client = createTollgateClient({ fetch: gw.fetch });
  await client.login(credentials);
  gw.expireAccessToken();
  const release = gw.hold('/auth/refresh');
  const pending = client.fetch('/api/orders');
  await until(() => gw.count('/auth/refresh') === 1, 'the refresh to start');
  const loggingOut = client.logout();
  release();
  await Promise.all([pending, loggingOut]);
  const logout = gw.calls.find((c) => c.path === '/auth/logout');
  assert.deepEqual(JSON.parse(logout.body), { refreshToken: 'r2' });
  assert.equal(client.isAuthenticated(), false);
});

test('a throwing onLogout does not break the waiting requests', async () => {
  const gw = fakeGateway();
  const client = createTollgateClient({ fetch: gw.fetch, onLogout: () => { throw new Error('boom'); } });
  await client.login(credentials);
  gw.expireAccessToken();
  gw.refreshResult = 401;
  const originalError = console.error;
  console.error = () => {};
  try {
    assert.equal((await client.fetch('/api/orders')).status, 401);
  } finally {
    console.error = originalError;
  }
});

test('an unknown mode is refused', () => {
  assert.throws(() => createTollgateClient({ mode: 'header' }), TypeError);
});

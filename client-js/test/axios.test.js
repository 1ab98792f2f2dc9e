import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createTollgateClient } from '../src/index.js';
import { fakeGateway, fakeAxios, until, flush } from '../test-support/fake-gateway.js';

async function setUp() {
  const gw = fakeGateway();
  const logouts = [];
  const client = createTollgateClient({ fetch: gw.fetch, onLogout: (i) => logouts.push(i) });
  const axios = fakeAxios(gw.fetch);
  client.axiosInterceptors(axios);
  await client.login({ username: 'ada', password: 'secret' });
  return { gw, client, axios, logouts };
}

test('axios: the request interceptor adds the access token', async () => {
  const { gw, axios } = await setUp();
  const response = await axios.request({ url: '/api/orders' });
  assert.equal(response.status, 200);
  assert.equal(gw.calls.at(-1).authorization, 'Bearer a1');
});

test('axios: parallel 401s share one refresh and are each replayed once', async () => {
  const { gw, axios } = await setUp();
  gw.expireAccessToken();
  const release = gw.hold('/auth/refresh');
  const calls = Array.from({ length: 5 }, (_, i) => axios.request({ url: `/api/item/${i}` }));
  await until(() => gw.count('/auth/refresh') === 1, 'the refresh to start');
  const late = axios.request({ url: '/api/late' }); // started during the refresh
  await flush();
  assert.equal(gw.count('/api/late'), 0, 'the request interceptor waits for the refresh');
  release();

  const responses = await Promise.all([...calls, late]);
  assert.deepEqual(responses.map((r) => r.data.token), Array(6).fill('a2'));
  assert.equal(gw.count('/auth/refresh'), 1);
  assert.equal(gw.calls.filter((c) => c.path.startsWith('/api/item/')).length, 10);
  assert.deepEqual(gw.calls.filter((c) => c.path === '/api/late').map((c) => c.authorization), ['Bearer a2']);
});

test('axios: a failed refresh rejects with the original 401 error and logs out once', async () => {
  const { gw, axios, logouts } = await setUp();
  gw.expireAccessToken();
  gw.refreshResult = 401;
  const results = await Promise.allSettled([axios.request({ url: '/api/a' }), axios.request({ url: '/api/b' })]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.deepEqual(results.map((r) => r.reason.response.status), [401, 401]);
  assert.deepEqual(results.map((r) => r.reason.config.url), ['/api/a', '/api/b']);
  assert.equal(gw.count('/auth/refresh'), 1);
  assert.deepEqual(logouts, [{ reason: 'refresh_failed' }]);
});

test('axios: a replayed request rejected again is not retried a second time', { timeout: 5000 }, async () => {
  const { gw, axios } = await setUp();
  gw.rejectAllAccessTokens = true;
  const before = gw.calls.length;
  await assert.rejects(axios.request({ url: '/api/orders' }), (e) => e.response.status === 401);
  assert.deepEqual(gw.calls.slice(before).map((c) => `${c.path} ${c.authorization ?? ''}`.trim()),
    ['/api/orders Bearer a1', '/auth/refresh', '/api/orders Bearer a2']);
});

test('axios: 403 and realm-only 401 are passed through without a refresh', async () => {
  const { gw, axios } = await setUp();
  await assert.rejects(axios.request({ url: '/forbidden' }), (e) => e.response.status === 403);
  const anonymous = fakeAxios(gw.fetch);
  createTollgateClient({ fetch: gw.fetch }).axiosInterceptors(anonymous);
  await assert.rejects(anonymous.request({ url: '/api/orders' }), (e) => e.response.status === 401);
  assert.equal(gw.count('/auth/refresh'), 0);
});

test('axios: a stream body is not replayed', async () => {
  const { gw, axios } = await setUp();
  gw.expireAccessToken();
  await assert.rejects(axios.request({ url: '/api/upload', method: 'POST', data: Readable.from(['x']) }),
    (e) => e.response.status === 401);
  assert.equal(gw.count('/api/upload'), 1);
  assert.equal(gw.count('/auth/refresh'), 0);
});

test('axios: headers objects with a set() method (AxiosHeaders) are updated in place', async () => {
  const { gw, axios } = await setUp();
  const headers = new Headers({ 'X-Trace': '1' });
  await axios.request({ url: '/api/orders', headers });
  assert.equal(headers.get('authorization'), 'Bearer a1');
  assert.equal(gw.calls.at(-1).authorization, 'Bearer a1');
});

test('axios: eject removes both interceptors when the instance supports it', async () => {
  const gw = fakeGateway();
  const ejected = [];
  const instance = {
    interceptors: {
      request: { use: () => 7, eject: (id) => ejected.push(['request', id]) },
      response: { use: () => 9, eject: (id) => ejected.push(['response', id]) },
    },
    request: () => {},
  };
  createTollgateClient({ fetch: gw.fetch }).axiosInterceptors(instance)();
  assert.deepEqual(ejected, [['request', 7], ['response', 9]]);
});

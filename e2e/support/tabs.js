// Tabs of one browser, each running a client of its own (client-js, as the gateway serves it to the demo page)
// on a neutral same-origin document, /demo/config.json: the demo page would run a client of its own on load and
// race the test's on the same refresh token (PITFALLS). The same tests run in body mode (refresh token in
// localStorage, shared by the tabs) and in cookie mode (one HttpOnly cookie, shared by the tabs).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

import { auditCounts, auditCountsAfter, withGatewayOutputOnFailure } from './demo-page.js';

/** The real axios from npm, as the UMD file a page loads with a script tag (it defines `window.axios`). */
const AXIOS_UMD = join(dirname(createRequire(import.meta.url).resolve('axios/package.json')), 'dist', 'axios.min.js');
const ALICE = { username: 'alice', password: 'alice-password' };
const STORAGE_KEY = 'tollgate.refreshToken';

/**
 * Opens a tab whose `window.tollgate` is a client in `mode`, with default options plus `options` (serialisable,
 * e.g. `{ dpop: true }`), and `window.logouts`.
 */
export async function openClientTab(context, gateway, mode, options = {}) {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${gateway.origin}/demo/config.json`);
  await startClient(page, mode, options);
  return page;
}

/** Creates the tab's client (again, after a reload): `window.tollgate` and `window.logouts`. */
export async function startClient(page, mode, options = {}) {
  await page.evaluate(async ({ mode, key, options }) => {
    const { createTollgateClient } = await import('/demo/client/index.js');
    window.logouts = [];
    window.tollgate = createTollgateClient({
      ...options,
      mode,
      storage: mode === 'body' ? {
        get: () => localStorage.getItem(key),
        set: (value) => localStorage.setItem(key, value),
        remove: () => localStorage.removeItem(key),
      } : null,
      onLogout: ({ reason }) => window.logouts.push(reason),
    });
  }, { mode, key: STORAGE_KEY, options });
}

/** Counts what the browser sent: refreshes, and API calls answered 401. */
function watchTraffic(context) {
  const seen = { refreshes: 0, unauthorized: 0 };
  const path = (url) => new URL(url).pathname;
  context.on('request', (request) => { if (path(request.url()) === '/auth/refresh') seen.refreshes += 1; });
  context.on('response', (response) => {
    if (response.status() === 401 && path(response.url()).startsWith('/api/')) seen.unauthorized += 1;
  });
  return seen;
}

/** Runs `fn(arg)` in every tab at once; resolves to the results, in tab order. */
export const inEveryTab = (tabs, fn, arg) => Promise.all(tabs.map((tab) => tab.evaluate(fn, arg)));

/**
 * Waits until the access token the tab holds has expired at the gateway (exp; the tests' clock skew is 0) and
 * the client knows it is due. `exp` is whole seconds (rounded down) while the client counts `expiresIn` from when
 * the response arrived, so the client's expiry is up to a second (plus the response's latency) after `exp`; it
 * renews in the last quarter of the lifetime (750 ms of 3 s). Waiting 1.2 s past `exp` covers both.
 */
export async function waitForExpiry(tab) {
  await tab.waitForFunction(() => {
    const payload = tollgate.getAccessToken().split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return Date.now() > JSON.parse(atob(payload)).exp * 1000 + 1_200;
  }, null, { polling: 100 });
}

/** Each call's status: `count` calls with the client's fetch, all at once. */
export function fetchStatuses(count) {
  return Promise.all(Array.from({ length: count },
    (_, i) => tollgate.fetch(`/api/orders?call=${i + 1}`).then((response) => response.status)));
}

/**
 * Registers the tests across tabs for `mode`. `env()` gives the gateway and browser that the calling test file
 * started in its `before` hook.
 */
export function crossTabTests(mode, env) {
  /** Runs `fn` in a fresh browser context (its own storage, cookies and locks), closed afterwards. */
  const inContext = (fn) => async (t) => {
    const { gateway, browser } = env();
    await withGatewayOutputOnFailure(gateway, async () => {
      const context = await browser.newContext();
      try {
        await fn({ t, gateway, context, traffic: watchTraffic(context) });
      } finally {
        await context.close();
      }
    });
  };

  /**
   * Runs `action` and returns its result and what it cost: the gateway's audit counts before and after, the
   * refreshes the browser sent, the API calls answered 401, and each tab's logouts.
   */
  async function measure({ gateway, traffic }, tabs, action) {
    const before = auditCounts(gateway);
    const [sentBefore, unauthorizedBefore] = [traffic.refreshes, traffic.unauthorized];
    const result = await action();
    const after = await auditCountsAfter(gateway, before, 'refresh_succeeded', 1);
    return {
      result, before, after,
      sent: traffic.refreshes - sentBefore,
      unauthorized: traffic.unauthorized - unauthorizedBefore,
      logouts: await inEveryTab(tabs, () => window.logouts),
    };
  }

  /** One line per scenario in the test output: what it cost in refreshes, and what the gateway saw. */
  function report(t, scenario, { before, after, sent, unauthorized, logouts }) {
    const delta = (event) => after[event] - before[event];
    t.diagnostic(`${mode} mode, ${scenario}: refreshes ${delta('refresh_succeeded')} (browser sent ${sent}), `
      + `reuse detections ${delta('refresh_token_reuse_detected')}, refreshes rejected ${delta('refresh_rejected')}, `
      + `API 401s ${unauthorized}, logouts ${logouts.flat().length}`);
  }

  /** What every scenario must cost: one refresh, seen as such by the gateway, and no tab logged out. */
  function assertOneRefresh({ before, after, sent, logouts }) {
    assert.equal(after.refresh_succeeded - before.refresh_succeeded, 1, 'one refresh_succeeded');
    assert.equal(sent, 1, 'the browser sent one refresh');
    assert.equal(after.refresh_token_reuse_detected, before.refresh_token_reuse_detected, 'no reuse detected');
    assert.equal(after.refresh_rejected, before.refresh_rejected, 'no refresh rejected');
    assert.deepEqual(logouts, logouts.map(() => []), 'no tab was logged out');
  }

  /** Tab 0 logs in; four more tabs open, and all four restore the session at once (their start-up refresh). */
  async function fiveTabsRestored(scene) {
    const first = await openClientTab(scene.context, scene.gateway, mode);
    await first.evaluate((credentials) => tollgate.login(credentials), ALICE);
    const others = await Promise.all([1, 2, 3, 4].map(() => openClientTab(scene.context, scene.gateway, mode)));
    const tabs = [first, ...others];
    return { tabs, restore: await measure(scene, tabs, () => inEveryTab(others, () => tollgate.refresh())) };
  }

  test(`${mode} mode: four tabs restored at once make one refresh; the gateway sees no reuse`, { timeout: 60_000 },
    inContext(async (scene) => {
      const { tabs, restore } = await fiveTabsRestored(scene);
      report(scene.t, 'restore of 4 tabs', restore);
      assert.deepEqual(restore.result, [true, true, true, true]);
      assertOneRefresh(restore);
      const tokens = await inEveryTab(tabs, () => tollgate.getAccessToken());
      assert.equal(new Set(tokens).size, 1, 'every tab holds the one new access token, the logged-in tab too');
      assert.deepEqual(await inEveryTab(tabs, fetchStatuses, 1), tabs.map(() => [200]));
    }));

  test(`${mode} mode: an expiry storm over five tabs makes one refresh, and no call meets a 401`, { timeout: 60_000 },
    inContext(async (scene) => {
      const { tabs } = await fiveTabsRestored(scene);
      await waitForExpiry(tabs[0]);
      const storm = await measure(scene, tabs, () => inEveryTab(tabs, fetchStatuses, 3));
      report(scene.t, 'expiry storm over 5 tabs x 3 calls', storm);
      assert.deepEqual(storm.result, tabs.map(() => [200, 200, 200]));
      assertOneRefresh(storm);
      assert.equal(storm.unauthorized, 0, 'each call went once, renewed before it left');
    }));

  test(`${mode} mode: logout in one tab logs out every tab, each calling onLogout once`, { timeout: 60_000 },
    inContext(async (scene) => {
      const { gateway, context, traffic } = scene;
      const { tabs } = await fiveTabsRestored(scene);
      const before = auditCounts(gateway);
      assert.equal(await tabs[2].evaluate(() => tollgate.logout()), true, 'the gateway confirmed the revocation');
      await Promise.all(tabs.map((tab) => tab.waitForFunction(() => window.logouts.length > 0)));
      const after = await auditCountsAfter(gateway, before, 'logout', 1);
      assert.equal(after.logout - before.logout, 1, 'one session revoked, once');

      const sentBefore = traffic.refreshes;
      assert.deepEqual(await inEveryTab(tabs, fetchStatuses, 1), tabs.map(() => [401]));
      assert.deepEqual(await inEveryTab(tabs, () => tollgate.isAuthenticated()), tabs.map(() => false));
      assert.deepEqual(await inEveryTab(tabs, () => window.logouts), tabs.map(() => ['logout']), 'once in each tab');
      assert.equal(traffic.refreshes, sentBefore, 'no tab tried to refresh a revoked session');
      if (mode === 'body') {
        assert.equal(await tabs[0].evaluate((key) => localStorage.getItem(key), STORAGE_KEY), null);
      } else {
        const cookies = await context.cookies(`${gateway.origin}/auth/refresh`);
        assert.deepEqual(cookies.map((c) => c.name), [], 'the refresh cookie is gone');
      }
    }));

  test(`${mode} mode: the real axios drives the gateway alongside fetch: renewal first, the 401 as the fallback`,
    { timeout: 60_000 }, inContext(async (scene) => {
      const tab = await openClientTab(scene.context, scene.gateway, mode);
      await tab.addScriptTag({ path: AXIOS_UMD });
      await tab.evaluate(async (credentials) => {
        window.api = axios.create({ baseURL: location.origin });
        tollgate.axiosInterceptors(api);
        await tollgate.login(credentials);
      }, ALICE);
      const identity = await tab.evaluate(async () => {
        const { status, data } = await api.get('/api/orders');
        const header = (name) => Object.entries(data.headers).find(([k]) => k.toLowerCase() === name)?.[1];
        return { status, user: header('x-user-id'), roles: header('x-user-roles') };
      });
      assert.deepEqual(identity, { status: 200, user: 'u-1001', roles: 'user' });
      const refused = await tab.evaluate(() => api.get('/api/admin/users').then(
        () => null, (error) => ({ status: error.response.status, code: error.response.data.error })));
      assert.deepEqual(refused, { status: 403, code: 'insufficient_scope' }, 'a 403 rejects, without a refresh');

      // Three calls through axios and three through fetch, all at once.
      const mixed = () => Promise.all([
        ...[1, 2, 3].map((i) => api.get(`/api/orders?axios=${i}`).then((r) => r.status, (e) => e.response?.status)),
        ...[1, 2, 3].map((i) => tollgate.fetch(`/api/orders?fetch=${i}`).then((r) => r.status)),
      ]);

      // The token has expired: both adapters renew it first, with one refresh, and no call meets a 401.
      await waitForExpiry(tab);
      const renewed = await measure(scene, [tab], () => tab.evaluate(mixed));
      report(scene.t, 'axios + fetch, token expired', renewed);
      assert.deepEqual(renewed.result, Array(6).fill(200));
      assertOneRefresh(renewed);
      assert.equal(renewed.unauthorized, 0);

      // The page's clock held still: the client believes its token fresh while the gateway's has expired, so
      // each call meets a 401 invalid_token, and one refresh serves the replays of all six.
      await tab.evaluate(() => { const frozen = Date.now(); Date.now = () => frozen; });
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      const fallback = await measure(scene, [tab], () => tab.evaluate(mixed));
      report(scene.t, 'axios + fetch, 401 fallback', fallback);
      assert.deepEqual(fallback.result, Array(6).fill(200));
      assertOneRefresh(fallback);
      assert.equal(fallback.unauthorized, 6, 'each call met one 401 and was replayed once');
    }));
}

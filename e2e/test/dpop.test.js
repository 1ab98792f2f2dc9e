// DPoP (RFC 9449) in headless Chromium against the real gateway jar, in both token modes: the demo page with
// --tollgate.demo.dpop=true (its client made with `dpop: true`), and tabs of one browser sharing the key.
// One gateway per mode (default tollgate.dpop.mode: optional, 3 s access tokens, no clock skew).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchChromium } from '../support/browser.js';
import {
  assertRenewedOnceSeenByPage, assertSingleRefreshSeenByGateway, auditCounts, auditCountsAfter, callApi, fireTen,
  logIn, openDemoPage, waitForExpiredAccessToken, withGatewayOutputOnFailure,
} from '../support/demo-page.js';
import {
  assertDpopCalls, assertProof, boundKey, recordRequests, storedThumbprints,
} from '../support/dpop.js';
import { startGateway } from '../support/gateway.js';
import { fetchStatuses, inEveryTab, openClientTab, startClient, waitForExpiry } from '../support/tabs.js';

const ALICE = { username: 'alice', password: 'alice-password' };
const COOKIE = '__Secure-tollgate-refresh';

const isPath = (path) => (response) => new URL(response.url()).pathname === path;

/**
 * Logs in on the demo page and checks what DPoP makes of it: the login went with a proof, the token response
 * says DPoP, and the access token is bound (cnf.jkt) to the proof's key. Returns the response and that key's
 * thumbprint.
 */
async function logInWithDpop(page, sent, gateway) {
  const mark = sent.count;
  const response = page.waitForResponse(isPath('/auth/login'));
  assert.match(await logIn(page, ALICE.username, ALICE.password), /logged in as u-1001/);
  const body = await (await response).json();
  const requests = await sent.sent('/auth/login', mark);
  assert.equal(requests.length, 1, 'one login request');
  const { thumbprint } = assertProof(requests[0].proof, { htm: 'POST', htu: `${gateway.origin}/auth/login` });
  assert.equal(body.tokenType, 'DPoP', 'the token response says DPoP');
  assert.equal(boundKey(body.accessToken), thumbprint, 'the access token\'s cnf.jkt is the proof key\'s thumbprint');
  await page.waitForSelector('#token-type[data-type="DPoP"]', { timeout: 2_000 });
  return { body, thumbprint };
}

/** The one refresh request among `requests`, checked as a proof (no `ath`) by the key `thumbprint`. */
function assertOneRefreshProvedBy(requests, gateway, thumbprint) {
  assert.equal(requests.length, 1, 'the browser sent one refresh');
  const proof = assertProof(requests[0].proof, { htm: 'POST', htu: `${gateway.origin}/auth/refresh` });
  assert.equal(proof.thumbprint, thumbprint, 'the refresh is proved by the session\'s key');
}

/** The Web Lock the clients of `mode` take for login, refresh and logout (client-js README, "Across tabs"). */
const tabsLock = (mode) => `tollgate:${mode}:`;

/** Takes the tabs' lock in `tab` (outside its client); resolves to a function that lets it go. */
async function holdTabsLock(tab, mode) {
  await tab.evaluate((name) => new Promise((held) => {
    navigator.locks.request(name, () => new Promise((release) => {
      window.releaseTabsLock = release;
      held();
    }));
  }), tabsLock(mode));
  return () => tab.evaluate(() => window.releaseTabsLock());
}

/** Waits until `count` requests for the tabs' lock are queued behind the one held. */
async function waitForLockRequests(tab, mode, count) {
  const deadline = Date.now() + 5_000;
  const queued = () => tab.evaluate(async (name) => (await navigator.locks.query()).pending
    .filter((lock) => lock.name === name).length, tabsLock(mode));
  while ((await queued()) < count) {
    assert.ok(Date.now() < deadline, `${count} tabs wait for the lock`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Audit counts after an action that should have cost exactly one refresh, and nothing rejected or reused. */
function assertOneRefreshAudited(before, after) {
  assert.equal(after.refresh_succeeded - before.refresh_succeeded, 1, 'one refresh_succeeded');
  assert.equal(after.refresh_rejected, before.refresh_rejected, 'no refresh rejected');
  assert.equal(after.refresh_token_reuse_detected, before.refresh_token_reuse_detected, 'no reuse detected');
}

for (const mode of ['body', 'cookie']) {
  describe(`${mode} mode with DPoP`, () => {
    let gateway;
    let browser;

    before(async () => {
      // Cookie mode: the page at http://localhost:PORT is a secure context, so Chromium keeps the __Secure- cookie.
      gateway = await startGateway({
        extraArgs: ({ origin }) => ['--tollgate.demo.dpop=true', ...(mode === 'cookie'
          ? ['--tollgate.refresh-token.cookie.enabled=true', `--tollgate.refresh-token.cookie.allowed-origins=${origin}`]
          : [])],
      });
      browser = await launchChromium();
    }, { timeout: 90_000 });

    after(async () => {
      await browser?.close();
      await gateway?.stop();
    });

    /** Runs `fn` in a fresh browser context (own storage, IndexedDB, cookies, locks), closed afterwards. */
    const inContext = (fn) => () => withGatewayOutputOnFailure(gateway, async () => {
      const context = await browser.newContext();
      try {
        await fn(context);
      } finally {
        await context.close();
      }
    });

    /** What someone who copied the refresh token (body) or the refresh cookie (cookie), but not the key, sends. */
    async function refreshWithoutKey(context, login) {
      let init;
      if (mode === 'body') {
        init = { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: login.refreshToken }) };
      } else {
        const cookie = (await context.cookies(`${gateway.origin}/auth/refresh`)).find((c) => c.name === COOKIE);
        assert.ok(cookie, `the browser holds ${COOKIE}`);
        init = { headers: { Cookie: `${COOKIE}=${cookie.value}`, Origin: gateway.origin } };
      }
      return fetch(`http://127.0.0.1:${gateway.port}/auth/refresh`, { method: 'POST', ...init });
    }

    test(`${mode} mode, DPoP: login binds the tokens to the page's key; calls go as Authorization: DPoP with a proof `
      + 'and reach the upstream as the user, without the proof; a copied refresh token without the key is refused '
      + '(401 invalid_grant); after expiry ten calls make one refresh, proved by the key', { timeout: 60_000 },
    inContext(async (context) => {
      const page = await openDemoPage(context, gateway);
      const sent = recordRequests(page);
      assert.equal(await page.textContent('#mode'), mode);
      assert.equal(await page.textContent('#dpop'), 'on', 'tollgate.demo.dpop=true reached the page');

      const { body: login, thumbprint } = await logInWithDpop(page, sent, gateway);
      assert.equal(typeof login.accessToken, 'string');
      assert.equal('refreshToken' in login, mode === 'body', 'refresh token in the body in body mode only');
      assert.deepEqual(await storedThumbprints(page), [thumbprint], 'IndexedDB holds the one key, non-extractable');

      let mark = sent.count;
      const answer = page.waitForResponse(isPath('/api/orders'));
      assert.deepEqual(await callApi(page), { status: 200, userId: 'u-1001', roles: 'user' },
        'the identity headers the upstream saw');
      const echoed = await (await answer).json();
      assert.deepEqual(Object.keys(echoed.headers).filter((name) => /^dpop$/i.test(name)), [],
        'the upstream never receives the proof');
      assert.equal((await callApi(page, '/api/admin/users')).status, 403, 'alice lacks the admin role');
      const jtis = assertDpopCalls(await sent.sent('/api/', mark), thumbprint, [login.accessToken]);
      assert.equal(new Set(jtis).size, 2, 'a fresh proof per call');

      // Someone with a copy of the refresh token (or cookie) but not the key: refused, and nothing minted.
      const stolen = await refreshWithoutKey(context, login);
      const problem = await stolen.json().catch(() => null);
      assert.deepEqual({ status: stolen.status, error: problem?.error }, { status: 401, error: 'invalid_grant' },
        'a refresh of a bound session without a proof by its key');
      assert.equal(problem?.accessToken, undefined, 'no access token for the copy');
      assert.equal(stolen.headers.get('set-cookie'), null, 'no new refresh cookie for the copy');

      // The page's own session is intact: after expiry its next batch refreshes once (proved by the key), and
      // every call goes once, with the new DPoP token and a proof of it.
      await waitForExpiredAccessToken(page);
      const before = auditCounts(gateway);
      mark = sent.count;
      const refreshAnswer = page.waitForResponse(isPath('/auth/refresh'));
      const batch = await fireTen(page);
      assertRenewedOnceSeenByPage(batch);
      assert.ok(batch.exchanges.every((e) => e.dpop === 'true'), 'the page logged a DPoP proof on every request');
      assertSingleRefreshSeenByGateway(before, await auditCountsAfter(gateway, before, 'refresh_succeeded', 1));
      const refreshed = await (await refreshAnswer).json();
      assert.equal(refreshed.tokenType, 'DPoP');
      assert.equal(boundKey(refreshed.accessToken), thumbprint, 'the new access token is bound to the same key');
      assertOneRefreshProvedBy(await sent.sent('/auth/refresh', mark), gateway, thumbprint);
      const batchJtis = assertDpopCalls(await sent.sent('/api/', mark), thumbprint, [refreshed.accessToken]);
      assert.equal(new Set(batchJtis).size, 10, 'ten calls, ten proofs');
    }));

    test(`${mode} mode, DPoP: a reload keeps the key; logout drops it from IndexedDB and the next login makes `
      + 'a new one', { timeout: 60_000 }, inContext(async (context) => {
      const page = await openDemoPage(context, gateway);
      const sent = recordRequests(page);
      const { thumbprint: first } = await logInWithDpop(page, sent, gateway);

      let mark = sent.count;
      const resumed = mode === 'cookie' ? page.waitForResponse(isPath('/auth/refresh')) : null;
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
      if (mode === 'cookie') {
        // The page's start-up refresh, from the HttpOnly cookie, is only accepted with a proof by the bound key.
        assert.match(await page.textContent('#session'), /logged in as u-1001/, 'session resumed from the cookie');
        assertOneRefreshProvedBy(await sent.sent('/auth/refresh', mark), gateway, first);
        const body = await (await resumed).json();
        assert.equal(body.tokenType, 'DPoP');
        assert.equal(boundKey(body.accessToken), first);
      } else {
        // The page keeps its refresh token in memory: the reload ends its session, not its key.
        assert.equal(await page.textContent('#session'), 'not logged in');
        const { thumbprint: again } = await logInWithDpop(page, sent, gateway);
        assert.equal(again, first, 'the login after the reload is proved by the same key');
      }
      assert.deepEqual(await storedThumbprints(page), [first], 'IndexedDB still holds the one key');
      mark = sent.count;
      assert.equal((await callApi(page)).status, 200);
      assertDpopCalls(await sent.sent('/api/', mark), first);

      mark = sent.count;
      const beforeLogout = auditCounts(gateway);
      await page.click('#logout');
      await page.waitForSelector('#session[data-state="logged-out"]', { timeout: 10_000 });
      assert.match(await page.textContent('#session'), /gateway confirmed the revocation: true/);
      assert.equal((await auditCountsAfter(gateway, beforeLogout, 'logout', 1)).logout, beforeLogout.logout + 1);
      const [logoutRequest, ...more] = await sent.sent('/auth/logout', mark);
      assert.equal(more.length, 0, 'one logout request');
      assert.equal(assertProof(logoutRequest.proof, { htm: 'POST', htu: `${gateway.origin}/auth/logout` }).thumbprint,
        first, 'the logout is proved by the key');
      assert.deepEqual(await storedThumbprints(page), [], 'logout deleted the key from IndexedDB');
      assert.equal((await callApi(page)).status, 401, 'after logout the page holds no token');
      if (mode === 'cookie') {
        assert.deepEqual((await context.cookies()).filter((c) => c.name === COOKIE), [], 'logout cleared the cookie');
      }

      const { thumbprint: next } = await logInWithDpop(page, sent, gateway);
      assert.notEqual(next, first, 'the next login is proved by a new key');
      const stored = await storedThumbprints(page);
      assert.deepEqual(stored, [next], 'IndexedDB holds the new key only');
      assert.ok(!stored.includes(first), 'the old key is gone');
    }));

    test(`${mode} mode, DPoP: four tabs share the key; restored at once and after expiry each time one refresh, `
      + 'proved by that key; a reloaded tab refreshes with the same key', { timeout: 60_000 },
    inContext(async (context) => {
      const traffic = recordRequests(context);
      const first = await openClientTab(context, gateway, mode, { dpop: true });
      await first.evaluate((credentials) => tollgate.login(credentials), ALICE);
      const thumbprint = boundKey(await first.evaluate(() => tollgate.getAccessToken()));
      assert.match(thumbprint ?? '', /^[\w-]{43}$/, 'the login made a DPoP-bound access token');
      const [login] = await traffic.sent('/auth/login');
      assert.equal(assertProof(login.proof, { htm: 'POST', htu: `${gateway.origin}/auth/login` }).thumbprint,
        thumbprint);
      const others = await Promise.all([1, 2, 3].map(() => openClientTab(context, gateway, mode, { dpop: true })));
      const tabs = [first, ...others];

      // The three new tabs restore the session at once: one refresh between them, by the shared key. "At once"
      // made sure of: the test holds the tabs' Web Lock until all three refreshes wait for it (a tab whose call
      // came after another tab's refresh had finished would rightly make its own).
      let before = auditCounts(gateway);
      let mark = traffic.count;
      const release = await holdTabsLock(first, mode);
      const restoring = inEveryTab(others, () => tollgate.refresh());
      await waitForLockRequests(first, mode, 3);
      await release();
      assert.deepEqual(await restoring, [true, true, true]);
      assertOneRefreshAudited(before, await auditCountsAfter(gateway, before, 'refresh_succeeded', 1));
      assertOneRefreshProvedBy(await traffic.sent('/auth/refresh', mark), gateway, thumbprint);
      const restored = await inEveryTab(tabs, () => tollgate.getAccessToken());
      assert.equal(new Set(restored).size, 1, 'every tab holds the one new access token');
      assert.equal(boundKey(restored[0]), thumbprint);
      assert.deepEqual(await storedThumbprints(first), [thumbprint], 'one key for the four tabs');

      // The access token expires; all four tabs make three calls each, at once: one refresh, no 401.
      await waitForExpiry(first);
      before = auditCounts(gateway);
      mark = traffic.count;
      assert.deepEqual(await inEveryTab(tabs, fetchStatuses, 3), tabs.map(() => [200, 200, 200]));
      assertOneRefreshAudited(before, await auditCountsAfter(gateway, before, 'refresh_succeeded', 1));
      assertOneRefreshProvedBy(await traffic.sent('/auth/refresh', mark), gateway, thumbprint);
      const renewed = await inEveryTab(tabs, () => tollgate.getAccessToken());
      assert.equal(new Set(renewed).size, 1, 'every tab took on the one refreshed token');
      const calls = await traffic.sent('/api/', mark);
      assert.equal(calls.length, 12, 'each call went once');
      assert.equal(new Set(assertDpopCalls(calls, thumbprint, [renewed[0]])).size, 12, 'twelve calls, twelve proofs');

      // A reload loses the tab's client, not the key: its refresh is accepted only because the proof is by it.
      await first.reload();
      await startClient(first, mode, { dpop: true });
      mark = traffic.count;
      assert.equal(await first.evaluate(() => tollgate.refresh()), true, 'the reloaded tab restored the session');
      assertOneRefreshProvedBy(await traffic.sent('/auth/refresh', mark), gateway, thumbprint);
      assert.deepEqual(await first.evaluate(fetchStatuses, 1), [200]);
      assert.deepEqual(await inEveryTab(tabs, () => window.logouts), tabs.map(() => []), 'no tab was logged out');
    }));
  });
}

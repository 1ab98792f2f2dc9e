// The demo page in headless Chromium against the real gateway jar, refresh token in an HttpOnly cookie.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchChromium } from '../support/browser.js';
import { startGateway } from '../support/gateway.js';
import { crossTabTests } from '../support/tabs.js';
import {
  assertRenewedOnceSeenByPage, assertSingleRefreshSeenByGateway, auditCounts, auditCountsAfter, callApi, fireTen,
  logIn, openDemoPage, waitForExpiredAccessToken, withGatewayOutputOnFailure,
} from '../support/demo-page.js';

const COOKIE = '__Secure-tollgate-refresh';

let gateway;
let browser;

before(async () => {
  // The page is opened at http://localhost:PORT: Chromium counts localhost as a secure context, so it
  // keeps the Secure, __Secure- prefixed cookie although the page is plain http.
  gateway = await startGateway({
    extraArgs: ({ origin }) => ['--tollgate.refresh-token.cookie.enabled=true',
      `--tollgate.refresh-token.cookie.allowed-origins=${origin}`],
  });
  browser = await launchChromium();
}, { timeout: 90_000 });

after(async () => {
  await browser?.close();
  await gateway?.stop();
});

async function refreshCookie(context) {
  return (await context.cookies(gateway.origin + '/auth/refresh')).find((c) => c.name === COOKIE);
}

test('cookie mode: the refresh token stays in an HttpOnly cookie, ten parallel calls make one refresh, '
  + 'logout clears it', { timeout: 60_000 }, () => withGatewayOutputOnFailure(gateway, async () => {
  const context = await browser.newContext();
  const page = await openDemoPage(context, gateway);
  assert.equal(await page.textContent('#mode'), 'cookie');
  assert.equal(await page.getAttribute('#session', 'data-state'), null, 'no session to resume on first load');

  const loginResponse = page.waitForResponse((r) => r.url().endsWith('/auth/login'));
  assert.match(await logIn(page, 'alice', 'alice-password'), /logged in as u-1001/);
  const loginBody = await (await loginResponse).json();
  assert.equal(typeof loginBody.accessToken, 'string');
  assert.equal('refreshToken' in loginBody, false, 'no refresh token in the JSON body');

  const cookie = await refreshCookie(context);
  assert.ok(cookie, `the browser holds ${COOKIE}`);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/auth');
  const documentCookie = await page.evaluate(() => document.cookie);
  assert.ok(!documentCookie.includes(COOKIE), 'the cookie name is not visible to scripts');
  assert.ok(!documentCookie.includes(cookie.value), 'the refresh token is not visible to scripts');

  assert.deepEqual(await callApi(page), { status: 200, userId: 'u-1001', roles: 'user' });

  await waitForExpiredAccessToken(page);
  const before = auditCounts(gateway);
  const batch = await fireTen(page);
  assertRenewedOnceSeenByPage(batch);
  assertSingleRefreshSeenByGateway(before, await auditCountsAfter(gateway, before, 'refresh_succeeded', 1));
  const rotated = await refreshCookie(context);
  assert.ok(rotated && rotated.value !== cookie.value, 'the refresh rotated the cookie');

  // A reload loses the in-memory access token; the cookie brings the session back.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  assert.match(await page.textContent('#session'), /logged in as u-1001/, 'session resumed from the cookie');

  const beforeLogout = auditCounts(gateway);
  await page.click('#logout');
  await page.waitForSelector('#session[data-state="logged-out"]', { timeout: 10_000 });
  assert.match(await page.textContent('#session'), /gateway confirmed the revocation: true/);
  assert.equal((await auditCountsAfter(gateway, beforeLogout, 'logout', 1)).logout, beforeLogout.logout + 1);
  assert.equal(await refreshCookie(context), undefined, 'logout cleared the cookie');
  assert.deepEqual((await context.cookies()).filter((c) => c.name === COOKIE), []);

  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  assert.equal(await page.textContent('#session'), 'not logged in', 'no session after logout and reload');
  await context.close();
}));

crossTabTests('cookie', () => ({ gateway, browser }));

// The demo page in headless Chromium against the real gateway jar, refresh token in the JSON body.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchChromium } from '../support/browser.js';
import { startGateway } from '../support/gateway.js';
import { crossTabTests } from '../support/tabs.js';
import {
  assertRenewedOnceSeenByPage, assertSingleRefreshSeenByGateway, auditCounts, auditCountsAfter, callApi, fireTen,
  logIn, openDemoPage, waitForExpiredAccessToken, withGatewayOutputOnFailure,
} from '../support/demo-page.js';

let gateway;
let browser;

before(async () => {
  gateway = await startGateway();
  browser = await launchChromium();
}, { timeout: 90_000 });

after(async () => {
  await browser?.close();
  await gateway?.stop();
});

test('body mode: log in, call the API, ten parallel calls after expiry make one refresh, log out',
  { timeout: 60_000 }, () => withGatewayOutputOnFailure(gateway, async () => {
    const context = await browser.newContext();
    const page = await openDemoPage(context, gateway);
    assert.equal(await page.textContent('#mode'), 'body');
    assert.equal(await page.textContent('#dpop'), 'off', 'tollgate.demo.dpop is off by default');

    const start = auditCounts(gateway);
    assert.match(await logIn(page, 'alice', 'alice-password'), /logged in as u-1001/);
    assert.equal(await page.textContent('#token-type'), 'Bearer');
    const api = await callApi(page);
    assert.deepEqual(api, { status: 200, userId: 'u-1001', roles: 'user' }, 'the identity headers the upstream saw');
    assert.equal((await callApi(page, '/api/admin/users')).status, 403, 'alice lacks the admin role');

    await waitForExpiredAccessToken(page);
    const before = auditCounts(gateway);
    assert.equal(before.login_succeeded - start.login_succeeded, 1);
    const batch = await fireTen(page);
    assertRenewedOnceSeenByPage(batch);
    assertSingleRefreshSeenByGateway(before, await auditCountsAfter(gateway, before, 'refresh_succeeded', 1));
    assert.match(batch.summary, /10 of 10 answered 200; refreshes made: 1/);

    const beforeLogout = auditCounts(gateway);
    await page.click('#logout');
    await page.waitForSelector('#session[data-state="logged-out"]', { timeout: 10_000 });
    assert.match(await page.textContent('#session'), /gateway confirmed the revocation: true/);
    assert.equal((await auditCountsAfter(gateway, beforeLogout, 'logout', 1)).logout, beforeLogout.logout + 1);
    assert.equal((await callApi(page)).status, 401, 'after logout the page holds no token');
    await context.close();
  }));

crossTabTests('body', () => ({ gateway, browser }));

test('body mode: the demo page\'s ?dpop=1 turns DPoP on for its client, where the gateway\'s tollgate.demo.dpop is off',
  { timeout: 30_000 }, () => withGatewayOutputOnFailure(gateway, async () => {
    const context = await browser.newContext();
    const page = await openDemoPage(context, gateway);
    await page.goto(`${gateway.origin}/demo/?dpop=1`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    assert.equal(await page.textContent('#dpop'), 'on');
    const login = page.waitForRequest((r) => new URL(r.url()).pathname === '/auth/login');
    assert.match(await logIn(page, 'alice', 'alice-password'), /logged in as u-1001/);
    assert.ok((await (await login).allHeaders()).dpop, 'the login carried a DPoP proof');
    await page.waitForSelector('#token-type[data-type="DPoP"]', { timeout: 2_000 });
    assert.equal((await callApi(page)).status, 200);
    await context.close();
  }));

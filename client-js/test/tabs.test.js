// Tabs of one browser sharing a refresh token: fake Web Locks and BroadcastChannel (test-support).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTollgateClient } from '../src/index.js';
import { fakeGateway, until, flush } from '../test-support/fake-gateway.js';
import { fakeBrowser, memoryStorage } from '../test-support/fake-browser.js';

const credentials = { username: 'ada', password: 'secret' };
const MODES = ['body', 'cookie'];

/**
 * A browser with `count` tabs on one gateway; in body mode they share `storage` (as localStorage is
 * shared), in cookie mode the gateway's cookie jar. Tab 0 has logged in; the others have just opened.
 */
async function browserWithTabs(count, { mode = 'body', crossTab = (browser) => browser.tab(), ...gateway } = {}) {
  const gw = fakeGateway({ mode, ...gateway });
  const browser = fakeBrowser();
  const storage = mode === 'body' ? memoryStorage() : null;
  const open = () => {
    const logouts = [];
    const client = createTollgateClient({
      fetch: gw.fetch, mode, storage, crossTab: crossTab(browser), onLogout: ({ reason }) => logouts.push(reason),
    });
    return { client, logouts };
  };
  const first = open();
  await first.client.login(credentials);
  const tabs = [first, ...Array.from({ length: count - 1 }, open)];
  return { gw, browser, storage, tabs, clients: tabs.map((t) => t.client), logouts: () => tabs.map((t) => t.logouts) };
}

/** Every tab restores its session at start-up, all at once. */
const restoreAll = (clients) => Promise.all(clients.map((c) => c.refresh()));

for (const mode of MODES) {
  test(`${mode} mode: four tabs restored at once make one refresh between them`, async () => {
    const { gw, storage, tabs, clients, logouts } = await browserWithTabs(5, { mode });

    assert.deepEqual(await restoreAll(clients.slice(1)), [true, true, true, true]);
    assert.equal(gw.count('/auth/refresh'), 1);
    assert.equal(gw.reuses, 0);
    await flush();
    assert.deepEqual(clients.map((c) => c.getAccessToken()), Array(5).fill('a2'), 'the logged-in tab took it too');
    if (storage) assert.equal(storage.get(), 'r2');
    assert.deepEqual(logouts(), tabs.map(() => []));
  });

  test(`${mode} mode: without coordination the same restore is seen as reuse and logs every tab out`, async () => {
    const { gw, clients } = await browserWithTabs(5, { mode, crossTab: () => false });
    const restored = await restoreAll(clients.slice(1));
    assert.ok(gw.reuses > 0, 'what the lock prevents');
    assert.ok(restored.includes(false));
  });

  test(`${mode} mode: an expiry storm over five tabs makes one refresh and no request meets a 401`, async (t) => {
    let now = 1_000_000;
    t.mock.method(Date, 'now', () => now);
    const { gw, clients, logouts } = await browserWithTabs(5, { mode });
    await restoreAll(clients.slice(1));
    await flush();
    const refreshesBefore = gw.count('/auth/refresh');

    now += 890_000; // 10 s of the 900 s left: every tab is due to renew
    gw.expireAccessToken();
    const responses = await Promise.all(clients.flatMap((c) => [1, 2, 3].map((i) => c.fetch(`/api/storm/${i}`))));

    assert.deepEqual(responses.map((r) => r.status), Array(15).fill(200));
    assert.equal(gw.count('/auth/refresh') - refreshesBefore, 1);
    assert.equal(gw.reuses, 0);
    const sent = gw.calls.filter((c) => c.path.startsWith('/api/storm/')).map((c) => c.authorization);
    assert.deepEqual(sent, Array(15).fill('Bearer a3'), 'each request went once, with the renewed token');
    assert.deepEqual(logouts(), clients.map(() => []));
  });

  test(`${mode} mode: logout in one tab logs out every tab, each calling onLogout once`, async () => {
    const { gw, storage, clients, logouts } = await browserWithTabs(3, { mode });
    await restoreAll(clients.slice(1));
    await flush();

    assert.equal(await clients[1].logout(), true);
    await until(() => logouts().every((l) => l.length > 0), 'every tab to hear of the logout');
    assert.deepEqual(logouts(), [['logout'], ['logout'], ['logout']]);
    assert.deepEqual(clients.map((c) => c.isAuthenticated()), [false, false, false]);
    if (storage) assert.deepEqual(storage.log.filter(([op]) => op === 'remove'), [['remove']], 'cleared once');

    gw.expireAccessToken();
    const response = await clients[2].fetch('/api/orders');
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="tollgate"', 'sent without a token');
    assert.equal(gw.count('/auth/logout'), 1);
    assert.equal(gw.count('/auth/refresh'), 1, 'the restore only');
  });

  test(`${mode} mode: a refresh the gateway rejects ends the session in every tab`, async () => {
    const { gw, clients, logouts } = await browserWithTabs(3, { mode });
    await restoreAll(clients.slice(1));
    await flush();
    gw.expireAccessToken();
    gw.refreshResult = 401;

    assert.equal((await clients[0].fetch('/api/orders')).status, 401);
    await until(() => logouts().every((l) => l.length > 0), 'every tab to hear of it');
    assert.deepEqual(logouts(), [['refresh_failed'], ['refresh_failed'], ['refresh_failed']]);
    assert.equal((await clients[1].fetch('/api/orders')).status, 401);
    assert.equal(gw.count('/auth/refresh'), 2, 'the restore, then the rejected one: no tab tried again');
  });

  test(`${mode} mode: tabs waiting for the lock while the gateway answers 503 take that answer, `
    + 'and keep the session', async () => {
    const { gw, clients, logouts } = await browserWithTabs(3, { mode });
    gw.refreshResult = 503;
    const release = gw.hold('/auth/refresh');
    const first = clients[0].refresh();
    await until(() => gw.count('/auth/refresh') === 1, 'the first refresh to leave');
    const others = [clients[1].refresh(), clients[2].refresh()];
    release();

    assert.deepEqual(await Promise.all([first, ...others]), [false, false, false]);
    assert.equal(gw.count('/auth/refresh'), 1);
    assert.deepEqual(logouts(), [[], [], []]);
    gw.refreshResult = 'ok';
    assert.equal(await clients[2].refresh(), true, 'a later refresh still works');
  });

  test(`${mode} mode: a tab granted the lock before the other tab's result arrives waits for it`, async () => {
    const { gw, browser, clients } = await browserWithTabs(2, { mode });
    const release = browser.holdMessages((m) => m.type === 'tokens');
    const refreshed = clients[0].refresh();
    const waiting = clients[1].refresh();
    assert.equal(await refreshed, true);
    for (let i = 0; i < 20; i += 1) await flush();
    assert.equal(gw.count('/auth/refresh'), 1, 'the second tab holds the lock, yet has not refreshed');
    release();

    assert.equal(await waiting, true);
    assert.equal(clients[1].getAccessToken(), 'a2');
    assert.equal(gw.count('/auth/refresh'), 1);
    assert.equal(gw.reuses, 0);
  });
}

test('cookie mode: no message between tabs carries the refresh token', async () => {
  const { gw, browser, clients } = await browserWithTabs(3, { mode: 'cookie' });
  await restoreAll(clients.slice(1));
  await clients[0].logout();
  assert.ok(browser.messages.some((m) => m.type === 'tokens'));
  const sent = JSON.stringify(browser.messages);
  assert.ok(!sent.includes('"refreshToken"') && !/"r\d+"/.test(sent), sent);
  assert.equal(gw.cookie, null);
});

test('body mode: a tab that announced a refresh and was closed holds the others up a few seconds at most',
  { timeout: 10_000 }, async () => {
    const { gw, browser, clients } = await browserWithTabs(2);
    browser.channel().postMessage({ type: 'refreshing', from: 'a closed tab' });
    await flush();
    const started = performance.now();
    assert.equal(await clients[1].refresh(), true);
    const waited = performance.now() - started;
    assert.ok(waited >= 2_900 && waited < 5_000, `waited ${waited} ms`);
    assert.equal(gw.count('/auth/refresh'), 1);
  });

test('body mode: a tab learns of a login made in another tab from the shared storage', async () => {
  const { gw, storage, clients, logouts } = await browserWithTabs(2);
  await clients[0].logout();
  await until(() => logouts()[1].length === 1, 'the second tab to hear of the logout');
  await clients[0].login(credentials);
  assert.equal(storage.get(), 'r2');

  assert.equal(await clients[1].refresh(), true);
  assert.equal(JSON.parse(gw.calls.at(-1).body).refreshToken, 'r2');
  assert.equal(gw.reuses, 0);
});

test('body mode: tabs with storage of their own (other sessions) ignore each other\'s outcomes', async () => {
  const gw = fakeGateway();
  const browser = fakeBrowser();
  const [alice, bob] = [memoryStorage(), memoryStorage()].map((storage) => ({
    storage,
    logouts: [],
    client: null,
  }));
  for (const tab of [alice, bob]) {
    tab.client = createTollgateClient({
      fetch: gw.fetch, storage: tab.storage, crossTab: browser.tab(), onLogout: (i) => tab.logouts.push(i.reason),
    });
    await tab.client.login(credentials);
  }
  assert.equal(await alice.client.refresh(), true);
  await alice.client.logout();
  for (let i = 0; i < 5; i += 1) await flush();

  assert.equal(bob.client.getAccessToken(), 'a2');
  assert.equal(bob.storage.get(), 'r2');
  assert.deepEqual(bob.logouts, []);
});

test('body mode: a duplicated tab (a copy of the same per-tab storage) follows the rotation in its copy', async () => {
  const gw = fakeGateway();
  const browser = fakeBrowser();
  const original = memoryStorage();
  const client = createTollgateClient({ fetch: gw.fetch, storage: original, crossTab: browser.tab() });
  await client.login(credentials);
  const copy = memoryStorage(original.get());
  const duplicate = createTollgateClient({ fetch: gw.fetch, storage: copy, crossTab: browser.tab() });

  assert.equal(await client.refresh(), true);
  await until(() => copy.get() === 'r2', 'the copy to follow');
  assert.equal(await duplicate.refresh(), true);
  assert.equal(gw.reuses, 0);
});

test('a closed client stops listening to the other tabs and keeps working on its own', async () => {
  const { gw, clients } = await browserWithTabs(2);
  clients[1].close();
  assert.equal(await clients[0].refresh(), true);
  for (let i = 0; i < 5; i += 1) await flush();
  assert.equal(clients[1].getAccessToken(), null);
  assert.equal(gw.count('/auth/refresh'), 1);
});

test('by default a page coordinates its tabs with navigator.locks and a BroadcastChannel; Node does not', async () => {
  const browser = fakeBrowser();
  const channels = [];
  const saved = { document: globalThis.document, navigator: globalThis.navigator, BroadcastChannel };
  const gw = fakeGateway({ mode: 'cookie' });
  try {
    Object.defineProperty(globalThis, 'navigator', { value: { locks: browser.locks }, configurable: true });
    globalThis.BroadcastChannel = function FakeChannel(name) {
      channels.push(name);
      return Object.assign(browser.channel(), { close() {} });
    };
    createTollgateClient({ fetch: gw.fetch, mode: 'cookie' });
    assert.deepEqual(channels, [], 'no document (Node, workers): no coordination unless given');

    globalThis.document = {};
    createTollgateClient({ fetch: gw.fetch, storage: memoryStorage(), baseUrl: 'https://api.test' });
    createTollgateClient({ fetch: gw.fetch, mode: 'cookie' });
    createTollgateClient({ fetch: gw.fetch });
    createTollgateClient({ fetch: gw.fetch, mode: 'cookie', crossTab: false });
    assert.deepEqual(channels, ['tollgate:body:https://api.test', 'tollgate:cookie:'],
      'only where tabs share the refresh token, and not when turned off');
  } finally {
    if (saved.document === undefined) delete globalThis.document;
    Object.defineProperty(globalThis, 'navigator', { value: saved.navigator, configurable: true, writable: true });
    if (saved.navigator === undefined) delete globalThis.navigator;
    globalThis.BroadcastChannel = saved.BroadcastChannel;
  }
});

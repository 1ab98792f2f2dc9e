// DEMO ONLY. The Tollgate demo page: plain DOM code around the real browser client.
// The client is client-js/src/index.js, copied into the gateway jar at build time (gateway-app/pom.xml).
import { createTollgateClient, TollgateError } from './client/index.js';

const $ = (id) => document.getElementById(id);
const REFRESH_PATH = '/auth/refresh';

// ---------------------------------------------------------------------------------------------
// Network log: the client is given a fetch that logs each exchange, so what the page shows is
// exactly what went over the wire (statuses and paths only, never a token).

const logEl = $('log');
const started = performance.now();
let exchangeNo = 0;
let refreshCount = 0; // POSTs to /auth/refresh since the page loaded
let attempts = new Map(); // URL -> requests sent for it since the current action began

async function loggingFetch(input, init = {}) {
  const method = (init.method ?? input?.method ?? 'GET').toUpperCase();
  const url = new URL(typeof input === 'string' ? input : input.url, location.href);
  const path = url.pathname + url.search;
  const attempt = (attempts.get(path) ?? 0) + 1;
  attempts.set(path, attempt);
  if (path === REFRESH_PATH) refreshCount++;
  const li = document.createElement('li');
  li.dataset.method = method;
  li.dataset.path = path;
  li.dataset.attempt = String(attempt);
  if (path.startsWith('/auth/')) li.classList.add('auth');
  const proved = new Headers(init.headers).has('DPoP');
  if (proved) li.dataset.dpop = 'true';
  const head = `#${++exchangeNo} +${Math.round(performance.now() - started)} ms  ${method} ${path}`
    + (attempt > 1 && !path.startsWith('/auth/') ? ' (replay)' : '') + (proved ? ' [DPoP proof]' : '');
  li.textContent = `${head} …`;
  logEl.append(li);
  li.scrollIntoView({ block: 'nearest' });
  try {
    const response = await fetch(input, init);
    const error = /error="([^"]+)"/.exec(response.headers.get('WWW-Authenticate') ?? '')?.[1];
    li.textContent = `${head} → ${response.status}${error ? ` ${error}` : ''}`;
    li.dataset.status = String(response.status);
    li.classList.add(`s${String(response.status)[0]}`);
    return response;
  } catch (e) {
    li.textContent = `${head} → network error (${e.message})`;
    li.dataset.status = 'error';
    li.classList.add('err');
    throw e;
  }
}

/** Starts a user action: a heading line in the log; a URL requested again within it is a replay. */
function newAction(title) {
  attempts = new Map();
  const li = document.createElement('li');
  li.className = 'note';
  li.textContent = `— ${title}`;
  logEl.append(li);
}

$('clear-log').addEventListener('click', () => logEl.replaceChildren());

// ---------------------------------------------------------------------------------------------
// The client. The page asks the gateway that served it which refresh-token mode it runs in.

const config = await (await fetch('config.json', { cache: 'no-store' })).json();
$('mode').textContent = config.mode;
if (config.mode === 'cookie') {
  $('mode-note').textContent = 'The refresh token lives in an HttpOnly cookie this page cannot read. '
    + `This page's origin (${location.origin}) must be listed in tollgate.refresh-token.cookie.allowed-origins.`;
}

// DPoP: the gateway's tollgate.demo.dpop (config.json), unless this page's URL says ?dpop=1 or ?dpop=0.
const dpopParam = new URLSearchParams(location.search).get('dpop');
const dpopOn = dpopParam === null ? config.dpop === true : ['1', 'true', 'on'].includes(dpopParam);
$('dpop').textContent = dpopOn ? 'on' : 'off';
$('dpop').dataset.state = dpopOn ? 'on' : 'off';
$('dpop-note').textContent = dpopOn
  ? 'The client keeps a non-extractable key pair in IndexedDB (tollgate-dpop) and signs a proof for every login, '
    + 'refresh, logout and request; the gateway binds the tokens to it. Logout drops the key.'
  : 'Bearer tokens. Turn DPoP on with --tollgate.demo.dpop=true, or open this page as /demo/?dpop=1.';

const sessionEl = $('session');
const tollgate = createTollgateClient({
  mode: config.mode,
  dpop: dpopOn,
  fetch: loggingFetch,
  onLogout: ({ reason }) => {
    sessionEl.textContent = reason === 'logout' ? 'logged out' : `logged out (${reason})`;
    sessionEl.dataset.state = 'logged-out';
  },
});

/** The access token's claims, decoded for display only (the gateway is what verifies it). */
function claims() {
  const token = tollgate.getAccessToken();
  if (!token) return null;
  const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(payload));
}

/** When the gateway stops accepting the current access token (exp + its clock skew), in ms. */
function expiresAtMs() {
  const c = claims();
  return c ? (c.exp + config.clockSkewSeconds) * 1000 : null;
}

function showSession() {
  const c = claims();
  if (c) {
    sessionEl.textContent = `logged in as ${c.sub} (roles ${c.roles.join(',') || 'none'})`;
    sessionEl.dataset.state = 'logged-in';
  }
}

/**
 * Bearer, or DPoP when the gateway bound the access token to this page's key (its `cnf.jkt`, RFC 9449 §6.1,
 * is the thumbprint of the key; the token response said `tokenType: "DPoP"`).
 */
function showTokenType() {
  const c = claims();
  const el = $('token-type');
  const type = c === null ? null : (c.cnf?.jkt ? 'DPoP' : 'Bearer');
  if (el.dataset.type === (type ?? '')) return;
  el.textContent = type ?? '–';
  el.dataset.type = type ?? '';
  $('token-key').textContent = c?.cnf?.jkt ? `bound to the key whose thumbprint (cnf.jkt) is ${c.cnf.jkt}` : '';
}

function showTokenState() {
  const el = $('token-state');
  const at = expiresAtMs();
  if (at === null) {
    el.textContent = 'none';
    el.dataset.state = 'none';
  } else if (Date.now() < at) {
    el.textContent = `valid for about ${Math.ceil((at - Date.now()) / 1000)} s more `
      + `(lifetime ${config.accessTokenTtlSeconds} s, clock skew ${config.clockSkewSeconds} s)`;
    el.dataset.state = 'valid';
  } else {
    el.textContent = 'expired: the next call refreshes it first (the client knows how long it lives)';
    el.dataset.state = 'expired';
  }
  showTokenType();
  $('refresh-state').textContent = config.mode === 'cookie'
    ? `in an HttpOnly cookie (document.cookie here is "${document.cookie}")`
    : (tollgate.isAuthenticated() ? 'in this page\'s memory (body mode: a reload loses the session)' : 'none');
}
setInterval(showTokenState, 250);
showTokenState();

// Cookie mode: every tab of this browser sends the one refresh cookie, so the client coordinates them (README,
// "Across tabs"). Body mode: this page keeps the refresh token in its own memory, so each tab is a session of its own.
$('tabs-state').textContent = config.mode === 'body'
  ? 'each tab of this page has a session of its own (body mode, refresh token in memory)'
  : navigator.locks && typeof BroadcastChannel === 'function'
    ? 'share the refresh cookie: one refresh at a time for all of them (Web Locks), results and logout shared (BroadcastChannel)'
    : 'share the refresh cookie, but this browser lacks Web Locks: tabs refreshing at once may be seen as reuse';

// ---------------------------------------------------------------------------------------------
// 1. Log in / log out

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  newAction(`log in as ${$('username').value}`);
  sessionEl.textContent = 'logging in…';
  sessionEl.dataset.state = 'pending';
  try {
    await tollgate.login({ username: $('username').value, password: $('password').value });
    showSession();
  } catch (e) {
    sessionEl.textContent = e instanceof TollgateError
      ? `login failed: ${e.status} ${e.code ?? ''} ${e.message}` : `login failed: ${e.message}`;
    if (tollgate.isAuthenticated()) sessionEl.textContent += ` (still logged in as ${claims().sub})`;
    sessionEl.dataset.state = 'failed';
  }
  showTokenState();
});

$('logout').addEventListener('click', async () => {
  newAction('log out');
  const confirmed = await tollgate.logout();
  sessionEl.textContent = `logged out (gateway confirmed the revocation: ${confirmed})`;
  sessionEl.dataset.state = 'logged-out';
  showTokenState();
});

// Cookie mode: after a reload the HttpOnly cookie may still hold a session; ask the gateway.
if (config.mode === 'cookie') {
  newAction('page load: does the refresh cookie still hold a session? (400 or 401 here means no)');
  if (await tollgate.refresh()) showSession();
  showTokenState();
}

// ---------------------------------------------------------------------------------------------
// 2. One API call

function header(headers, name) {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? '(not sent)' : headers[key];
}

$('call-api').addEventListener('click', async () => {
  newAction(`call ${$('api-path').value}`);
  const status = $('api-status');
  status.textContent = '…';
  delete status.dataset.status;
  const response = await tollgate.fetch($('api-path').value);
  const body = await response.json().catch(() => null);
  status.textContent = `${response.status}${body?.error ? ` ${body.error}` : ''}`;
  status.dataset.status = String(response.status);
  $('user-id').textContent = response.ok ? header(body.headers, 'X-User-Id') : '–';
  $('user-roles').textContent = response.ok ? header(body.headers, 'X-User-Roles') : '–';
  showSession();
});

// ---------------------------------------------------------------------------------------------
// 3. Ten parallel calls

let batchNo = 0;

async function fireTen() {
  const batch = ++batchNo;
  newAction(`fire 10 parallel calls (batch ${batch})`);
  const refreshesBefore = refreshCount;
  const summary = $('ten-summary');
  summary.textContent = 'running…';
  delete summary.dataset.done;
  const list = $('ten-results');
  list.replaceChildren();
  const statuses = await Promise.all(Array.from({ length: 10 }, async (_, i) => {
    const li = document.createElement('li');
    li.textContent = `call ${i + 1}: …`;
    list.append(li);
    let status;
    try {
      status = (await tollgate.fetch(`/api/orders?batch=${batch}&call=${i + 1}`)).status;
    } catch (e) {
      status = 'error';
    }
    li.textContent = `call ${i + 1}: ${status}`;
    li.dataset.status = String(status);
    return status;
  }));
  const ok = statuses.filter((s) => s === 200).length;
  const refreshes = refreshCount - refreshesBefore;
  summary.textContent = `${ok} of 10 answered 200; refreshes made: ${refreshes}`;
  Object.assign(summary.dataset, { done: 'true', ok: String(ok), refreshes: String(refreshes) });
  showSession();
}

$('fire-ten').addEventListener('click', fireTen);

$('wait-fire-ten').addEventListener('click', async () => {
  const summary = $('ten-summary');
  const at = expiresAtMs();
  if (at === null) {
    summary.textContent = 'log in first';
    return;
  }
  const wait = at - Date.now() + 500; // whole-second exp: half a second of margin
  if (wait > 120_000) {
    summary.textContent = `the access token is valid for ${Math.round(wait / 1000)} s more: restart the demo `
      + 'with --tollgate.access-token.ttl=10s --tollgate.access-token.clock-skew=0s to see this';
    return;
  }
  if (wait > 0) {
    summary.textContent = `waiting ${Math.ceil(wait / 1000)} s for the access token to expire…`;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await fireTen();
});

for (const button of document.querySelectorAll('button')) button.disabled = false;
document.body.dataset.ready = 'true';

/**
 * Tollgate client: keeps the short-lived access token in memory, adds it to requests, renews it
 * shortly before it expires, and renews it with the refresh token when the gateway says it is no
 * longer valid.
 *
 * Guarantees (see README): one refresh at a time (single flight, across the tabs that share the
 * refresh token too), at most one replay per request, `onLogout` called once per ended session in
 * every tab, stream bodies never replayed.
 */

import { createDpop, isNonceChallenge } from './dpop.js';
import { headerValue } from './headers.js';
import { linkTabs } from './tabs.js';

/** Error thrown by `login()`; carries the RFC 9457 problem body the gateway sent. */
export class TollgateError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `Tollgate request failed with status ${status}`);
    this.name = 'TollgateError';
    this.status = status;
    this.code = problem?.error ?? null;
    this.problem = problem ?? null;
  }
}

// RFC 6750 §3: only `error="invalid_token"` says "this token is bad, a new one may work".
// A 401 without it means no token was sent; a 403 means the token is fine but lacks a role.
const INVALID_TOKEN = /\berror\s*=\s*"?invalid_token\b/i;

// axios copies unknown string keys through its config merge, symbols it drops: hence strings.
const AXIOS_TOKEN = '__tollgateToken';
const AXIOS_RETRIED = '__tollgateRetried';
const AXIOS_NONCE_RETRIED = '__tollgateNonceRetried';

/**
 * @param {object} [options]
 * @param {string} [options.baseUrl=''] prefix for the auth paths and for request paths starting with '/'
 * @param {typeof fetch} [options.fetch=globalThis.fetch]
 * @param {'body'|'cookie'} [options.mode='body'] where the refresh token travels (CONTRACT: cookie mode)
 * @param {{get(): string|null, set(v: string): void, remove(): void}} [options.storage]
 *   body mode only: synchronous persistence of the refresh token (e.g. a localStorage wrapper)
 * @param {(info: {reason: 'logout'|'refresh_failed'}) => void} [options.onLogout] once per ended session
 * @param {number} [options.renewBeforeSeconds=30] a request made when the access token has less than this
 *   left (at most a quarter of its lifetime) refreshes it first
 * @param {false|{locks: object, channel: object, name?: string}} [options.crossTab] coordination with
 *   the other tabs (README, "Across tabs"): on by default in a page when tabs share the refresh token
 *   (cookie mode, or body mode with `storage`); `false` turns it off; an object supplies the Web Locks
 *   manager and BroadcastChannel to use
 * @param {boolean|{algorithm?: 'ES256'|'EdDSA', indexedDB?: IDBFactory|null}} [options.dpop=false] DPoP
 *   (RFC 9449, README "DPoP"): a key pair kept in IndexedDB signs a proof for every request, login,
 *   refresh and logout, so the tokens the gateway binds to it are useless without it
 * @param {string} [options.loginPath='/auth/login']
 * @param {string} [options.refreshPath='/auth/refresh']
 * @param {string} [options.logoutPath='/auth/logout']
 */
export function createTollgateClient(options = {}) {
  const {
    baseUrl = '',
    mode = 'body',
    storage = null,
    onLogout = null,
    renewBeforeSeconds = 30,
    loginPath = '/auth/login',
    refreshPath = '/auth/refresh',
    logoutPath = '/auth/logout',
  } = options;
  if (mode !== 'body' && mode !== 'cookie') throw new TypeError(`mode must be 'body' or 'cookie', not ${mode}`);
  // Resolved per call rather than captured, so a fetch installed later (polyfill, test stub) is used.
  const fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
  const cookieMode = mode === 'cookie';
  const dpop = options.dpop ? createDpop({
    ...(options.dpop === true ? {} : options.dpop),
    name: `tollgate:${baseUrl}`, // one key per gateway and browser profile, shared by the tabs
    resolve: absoluteUrl,
  }) : null;

  let accessToken = null;
  // The Authorization scheme the token goes with: 'DPoP' when the gateway bound it to our key.
  let tokenScheme = 'Bearer';
  // When the access token expires (ms since the epoch, this machine's clock) and its lifetime in ms;
  // null when the gateway did not say (then only a 401 leads to a refresh).
  let expiresAt = null;
  let lifetime = null;
  // Body mode only: the client never sees the refresh token in cookie mode.
  let refreshToken = cookieMode ? null : (storage?.get() ?? null);
  // Cookie mode only: whether we believe an HttpOnly refresh cookie exists (we cannot read it).
  let cookieSession = false;
  // The refresh in flight, if any: every caller that needs a new token awaits this one promise.
  let refreshing = null;
  // How many outcomes of other tabs' refreshes (or logouts) this tab has taken on.
  let otherTabOutcomes = 0;

  const tabs = linkTabs(options.crossTab, {
    shared: cookieMode || storage !== null,
    name: `tollgate:${mode}:${baseUrl}`,
  }, fromOtherTab);
  const exclusive = (fn) => (tabs ? tabs.exclusive(fn) : fn());

  const hasSession = () => (cookieMode ? cookieSession : refreshToken !== null);

  /** Whether a request should refresh before it is sent: the token is in its last stretch, or past it. */
  function renewalDue() {
    if (expiresAt === null) return false;
    return Date.now() >= expiresAt - Math.min(renewBeforeSeconds * 1000, lifetime / 4);
  }

  function setAccessToken(token, expiresInSeconds, receivedAt, tokenType) {
    accessToken = token;
    tokenScheme = dpop && typeof tokenType === 'string' && tokenType.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
    const valid = token !== null && Number.isFinite(expiresInSeconds) && expiresInSeconds > 0;
    lifetime = valid ? expiresInSeconds * 1000 : null;
    expiresAt = valid ? receivedAt + lifetime : null;
  }

  function setRefreshToken(value) {
    refreshToken = value;
    if (storage) value === null ? storage.remove() : storage.set(value);
  }

  /** Takes a token response; returns what the other tabs need of it (never a refresh token in cookie mode). */
  function accept(tokens) {
    if (typeof tokens?.accessToken !== 'string') throw new TypeError('token response has no accessToken');
    if (cookieMode) {
      cookieSession = true; // a refreshToken in the body (misconfigured gateway) is ignored on purpose
    } else {
      if (typeof tokens.refreshToken !== 'string') {
        throw new TypeError('token response has no refreshToken: is the gateway in cookie mode?');
      }
      setRefreshToken(tokens.refreshToken);
    }
    const receivedAt = Date.now();
    setAccessToken(tokens.accessToken, tokens.expiresIn, receivedAt, tokens.tokenType);
    return {
      accessToken, expiresIn: tokens.expiresIn, receivedAt, tokenType: tokens.tokenType,
      ...(cookieMode ? {} : { refreshToken }),
    };
  }

  /** Clears the session here; `forgetRefreshToken` is how (body mode), by default also in the storage. */
  function endSession(reason, forgetRefreshToken = () => setRefreshToken(null)) {
    const hadSession = hasSession() || accessToken !== null;
    setAccessToken(null);
    dpop?.forgetKey(); // a later session may be bound to another key (logout drops this one)
    cookieSession = false;
    if (!cookieMode) forgetRefreshToken();
    if (!hadSession || !onLogout) return;
    // A throwing hook must not break the requests waiting on this refresh.
    try { onLogout({ reason }); } catch (e) { console.error('tollgate: onLogout threw', e); }
  }

  /**
   * Tells the other tabs an outcome. In body mode `about` names the refresh token it concerns, so a tab
   * of another session (per-tab storage) ignores it; cookie mode has one cookie, so one session.
   */
  function tellOtherTabs(type, about, details = {}) {
    tabs?.post({ type, ...details, ...(cookieMode ? {} : { about }) });
  }

  /**
   * An outcome another tab reported: its new tokens, the session's end, or a refresh that could not be
   * made. Taken on if it concerns this tab's session (body mode: the refresh token this tab holds; cookie
   * mode: the browser's one cookie, if this tab has a session or is waiting for one).
   */
  function fromOtherTab(message) {
    const concernsUs = cookieMode ? cookieSession || refreshing !== null : message.about === refreshToken;
    if (!concernsUs) return;
    otherTabOutcomes += 1;
    if (message.type === 'tokens') {
      if (cookieMode) cookieSession = true;
      else replaceRefreshToken(message.about, message.refreshToken);
      setAccessToken(message.accessToken, message.expiresIn, message.receivedAt, message.tokenType);
      dpop?.forgetKey(); // bound to the key the other tab read: the store's, read again at the next proof
    } else if (message.type === 'ended') {
      endSession(message.reason, () => replaceRefreshToken(message.about, null));
    }
  }

  /**
   * Body mode: takes on the refresh token another tab rotated to (or null: revoked). The storage is
   * written only where it still holds the old token (it is per tab, e.g. in a duplicated tab's
   * sessionStorage): shared storage the other tab has already written, perhaps anew since.
   */
  function replaceRefreshToken(old, value) {
    refreshToken = value;
    if (storage?.get() === old) value === null ? storage.remove() : storage.set(value);
  }

  /** Body mode: another tab may have stored a newer refresh token (a login, or a rotation not heard of yet). */
  function rereadStoredToken() {
    const stored = cookieMode ? null : storage?.get();
    if (stored) refreshToken = stored;
  }

  /**
   * POST to an auth endpoint (login, refresh, logout). With DPoP: a proof by the key the store holds now
   * (read under the tabs' lock, made if there is none), and one more try when the gateway asks for a nonce.
   */
  async function postToTokenEndpoint(path, init) {
    const url = baseUrl + path;
    if (!dpop) return fetchImpl(url, { method: 'POST', ...init });
    await dpop.keyPair({ fresh: true });
    const attempt = async () => {
      const headers = new Headers(init.headers);
      headers.set('DPoP', await dpop.proof('POST', url));
      const response = await fetchImpl(url, { method: 'POST', ...init, headers });
      return { response, newNonce: dpop.noteNonce(url, response.headers) };
    };
    const first = await attempt();
    if (!first.newNonce || !(await isNonceChallenge(first.response.status, first.response.headers,
      () => first.response.clone().json()))) return first.response;
    await first.response.body?.cancel().catch(() => {});
    return (await attempt()).response; // once: a second challenge goes back as it is
  }

  /** POST to an auth endpoint with the refresh token the way the mode dictates. */
  function postWithRefreshToken(path) {
    return cookieMode
      ? postToTokenEndpoint(path, { credentials: 'include' })
      : postToTokenEndpoint(path, {
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
        });
  }

  async function doRefresh() {
    if (!cookieMode && refreshToken === null) return false;
    const presented = refreshToken;
    tabs?.post({ type: 'refreshing' });
    let response;
    try {
      response = await postWithRefreshToken(refreshPath);
      if (response.ok) {
        tellOtherTabs('tokens', presented, accept(await response.json()));
        return true;
      }
    } catch {
      // Network error or unusable 200: in body mode the server may already have rotated the
      // token we hold, so it is as good as gone; treat it like a rejected refresh.
      return refreshFailed(presented);
    }
    // 503 (store down), 429, 5xx: the refresh token was not consumed and is likely still good;
    // keep the session so a later request can try again, but fail this round.
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      tellOtherTabs('unavailable', presented);
      return false;
    }
    return refreshFailed(presented); // 401 invalid_grant, 403 access_denied, 400: retrying cannot help
  }

  function refreshFailed(presented) {
    endSession('refresh_failed');
    tellOtherTabs('ended', presented, { reason: 'refresh_failed' });
    return false;
  }

  /**
   * Under the lock: if another tab finished a refresh since this one was asked for, use its outcome
   * (a fresh token: true; an ended session or an unavailable gateway: false); else refresh.
   */
  async function refreshUnlessAnotherTabDid(outcomesBefore) {
    await tabs?.othersSettled();
    if (otherTabOutcomes !== outcomesBefore) return accessToken !== null && !renewalDue();
    rereadStoredToken();
    return doRefresh();
  }

  /** Single flight: starts a refresh unless one is running, and resolves to whether it worked. */
  function refresh() {
    if (!refreshing) {
      const outcomesBefore = otherTabOutcomes;
      refreshing = exclusive(() => refreshUnlessAnotherTabDid(outcomesBefore)).finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  /**
   * After a 401 invalid_token for a request sent with `usedToken`: the token to replay with,
   * or null when there is none to be had.
   */
  async function tokenAfterRejection(usedToken) {
    // Someone already refreshed (or logged in) after this request left: just replay.
    if (accessToken !== null && accessToken !== usedToken) return accessToken;
    // After a failed refresh there is no session, so no second attempt.
    if (!refreshing && !hasSession()) return null;
    return (await refresh()) ? accessToken : null;
  }

  /** New requests wait for a refresh in flight: their token is known to be on its way out. */
  async function settled() {
    if (refreshing) await refreshing;
  }

  /**
   * Before a request: waits for a refresh in flight, and renews a token about to expire, so that in
   * normal use no request meets a 401. If renewal fails, the request goes with what there is.
   */
  async function readyToSend() {
    await settled();
    if (accessToken !== null && hasSession() && renewalDue()) await refresh();
  }

  /**
   * Sends a request with `token` (and, for a DPoP-bound token, a proof of it). Answered with a DPoP nonce
   * challenge, it is sent once more with the new nonce, from `spare()` (a copy of a `Request` body).
   */
  async function send(input, init, token, spare = () => input) {
    const scheme = tokenScheme;
    const attempt = async (request) => {
      const headers = new Headers(init.headers ?? (isRequest(request) ? request.headers : undefined));
      if (token !== null) headers.set('Authorization', `${scheme} ${token}`);
      if (token === null || scheme !== 'DPoP') return { response: await fetchImpl(request, { ...init, headers }) };
      const url = isRequest(request) ? request.url : String(request);
      const method = (init.method ?? (isRequest(request) ? request.method : 'GET')).toUpperCase();
      headers.set('DPoP', await dpop.proof(method, url, token));
      // `htm` is upper case; fetch upper-cases only some methods itself (not `patch`).
      const response = await fetchImpl(request, { ...init, method, headers });
      return { response, newNonce: dpop.noteNonce(url, response.headers) };
    };
    const first = await attempt(input);
    if (!first.newNonce || !(await isNonceChallenge(first.response.status, first.response.headers,
      () => first.response.clone().json()))) return first.response;
    const again = spare();
    if (again === null) return first.response; // a stream body cannot go twice
    await first.response.body?.cancel().catch(() => {});
    return (await attempt(again)).response;
  }

  async function authFetch(input, init = {}) {
    await readyToSend();
    if (typeof input === 'string' && input.startsWith('/')) input = baseUrl + input;
    // A stream can be read once; replaying it would send an empty or partial body.
    const replayable = isRequest(input) ? !input.bodyUsed : !isStream(init.body);
    const copies = isRequest(input) && input.body && replayable;
    const copy = (request) => (copies ? request.clone() : request);
    const spare = copy(input);
    const usedToken = accessToken;
    const response = await send(input, init, usedToken, () => (replayable ? copy(spare) : null));
    if (!replayable || !isInvalidToken(response.status, response.headers)) return response;
    const token = await tokenAfterRejection(usedToken);
    if (token === null) return response; // the caller sees the original 401, never a loop
    await response.body?.cancel().catch(() => {}); // free the connection of the discarded 401
    // The one replay: whatever it returns goes to the caller.
    return send(copy(spare), init, token, () => spare);
  }

  async function login(credentials) {
    await settled(); // a late refresh result must not overwrite the new session
    return exclusive(async () => {
      const response = await postToTokenEndpoint(loginPath, {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(credentials),
        // Cross-origin, the browser only stores the refresh cookie for a credentialed request.
        ...(cookieMode ? { credentials: 'include' } : {}),
      });
      if (!response.ok) throw new TollgateError(response.status, await readProblem(response));
      accept(await response.json());
    });
  }

  /** Revokes the session on the gateway; resolves to whether the gateway confirmed it. */
  async function logout() {
    await settled(); // body mode: post the refresh token that is current, not one being rotated
    return exclusive(async () => {
      rereadStoredToken();
      const revoked = refreshToken;
      const hadSession = hasSession() || cookieMode;
      let confirmed = false;
      try {
        if (hadSession) confirmed = (await postWithRefreshToken(logoutPath)).ok;
      } catch {
        // The server may keep the family alive until it expires; locally we log out regardless.
      } finally {
        endSession('logout');
        if (hadSession) tellOtherTabs('ended', revoked, { reason: 'logout' });
        // RFC 9449 leaves keys to the client: a new session gets a new key. Still under the lock, so a
        // login in another tab waits for the delete and then makes its own key.
        await dpop?.dropKey().catch((e) => console.error('tollgate: could not delete the DPoP key', e));
      }
      return confirmed;
    });
  }

  function axiosInterceptors(axiosInstance) {
    const requestId = axiosInstance.interceptors.request.use(async (config) => {
      await readyToSend();
      const token = accessToken;
      config[AXIOS_TOKEN] = token;
      if (token === null) return config;
      setAxiosHeader(config, 'Authorization', `${tokenScheme} ${token}`);
      if (tokenScheme === 'DPoP') {
        const url = axiosUrl(axiosInstance, config);
        setAxiosHeader(config, 'DPoP', await dpop.proof((config.method ?? 'get').toUpperCase(), url, token));
      }
      return config;
    });
    /** With DPoP: keeps the answer's nonce; true when it is a nonce challenge worth the one more try. */
    const nonceChallenge = async (response) => {
      if (!dpop || !response?.config || !dpop.noteNonce(axiosUrl(axiosInstance, response.config), response.headers)) {
        return false;
      }
      return isNonceChallenge(response.status, response.headers, () => response.data);
    };
    const responseId = axiosInstance.interceptors.response.use(dpop ? async (response) => {
      await nonceChallenge(response); // keeps the nonce of a successful answer
      return response;
    } : undefined, async (error) => {
      const config = error?.config;
      const response = error?.response;
      if (!config || !response || isStream(config.data)) throw error;
      if (await nonceChallenge(response)) {
        if (config[AXIOS_NONCE_RETRIED]) throw error; // once per sending: the second challenge is the caller's
        config[AXIOS_NONCE_RETRIED] = true;
        return axiosInstance.request(config); // a new proof, with the nonce
      }
      if (config[AXIOS_RETRIED] || !isInvalidToken(response.status, response.headers)) throw error;
      const token = await tokenAfterRejection(config[AXIOS_TOKEN] ?? null);
      if (token === null) throw error; // axios callers expect a 401 as a rejection
      config[AXIOS_RETRIED] = true;
      config[AXIOS_NONCE_RETRIED] = false; // the replay may meet a nonce challenge of its own, like fetch's
      return axiosInstance.request(config); // goes through the request interceptor: new header
    });
    return function eject() {
      axiosInstance.interceptors.request.eject?.(requestId);
      axiosInstance.interceptors.response.eject?.(responseId);
    };
  }

  return {
    login,
    logout,
    refresh,
    fetch: authFetch,
    axiosInterceptors,
    getAccessToken: () => accessToken,
    isAuthenticated: () => accessToken !== null,
    /** Stops listening to the other tabs (the client keeps working on its own). */
    close: () => tabs?.close(),
  };
}

/** The absolute URL a request goes to: relative ones are the page's (as fetch resolves them). */
function absoluteUrl(url) {
  try {
    return new URL(url, globalThis.location?.href);
  } catch {
    throw new TypeError(`dpop needs absolute request URLs here (set baseUrl to the gateway's origin): ${url}`);
  }
}

function isRequest(input) {
  return typeof input === 'object' && input !== null && typeof input.clone === 'function' && 'bodyUsed' in input;
}

/** WHATWG ReadableStream, Node stream, or any async iterable: all readable once only. */
function isStream(body) {
  return body != null && typeof body === 'object' && (
    typeof body.getReader === 'function' || typeof body.pipe === 'function'
    || typeof body[Symbol.asyncIterator] === 'function');
}

function isInvalidToken(status, headers) {
  return status === 401 && INVALID_TOKEN.test(headerValue(headers, 'www-authenticate') ?? '');
}

/** The URL axios sends `config` to (its own `getUri` where it has one; query left in, `htu` drops it). */
function axiosUrl(instance, config) {
  if (typeof instance.getUri === 'function') return instance.getUri(config);
  const url = config.url ?? '';
  if (!config.baseURL || /^[a-z][a-z\d+.-]*:/i.test(url)) return url;
  return `${config.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function setAxiosHeader(config, name, value) {
  if (typeof config.headers?.set === 'function') config.headers.set(name, value);
  else config.headers = { ...config.headers, [name]: value };
}

async function readProblem(response) {
  try { return await response.json(); } catch { return null; }
}

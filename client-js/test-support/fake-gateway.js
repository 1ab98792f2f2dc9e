// A fake Tollgate gateway behind a fake `fetch`, following /CONTRACT.md closely enough to drive
// the client: access tokens are `a1`, `a2`, … (one generation valid at a time), refresh tokens
// `r1`, `r2`, … rotated on every refresh. Presenting a rotated refresh token again is reuse: its
// session (family) is revoked, as the real gateway does with `reuse-grace: 0s`. In cookie mode it
// also plays the browser's cookie jar: a credentialed request carries the cookie the jar holds when
// it leaves, and the jar takes the new one when the answer arrives. Lives outside test/ because
// `node --test test/` on Node 20 would run every .js file there as a test file.

const problem = (status, error, extraHeaders = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', status, error }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...extraHeaders },
  });

const json = (body, headers = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ...headers } });

export function fakeGateway({ mode = 'body', expiresIn = 900 } = {}) {
  let generation = 0;
  let validAccess = null; // the one access token the "API" accepts; null once expired
  let currentRefresh = null; // the newest refresh token issued
  const families = new Map(); // refresh token -> its session: { current, revoked }
  let cookieJar = null; // cookie mode: the refresh cookie the browser holds
  const gates = new Map(); // path -> promise every answer on that path waits for

  const gw = {
    calls: [], // { path, method, authorization, body, credentials } in arrival order
    refreshResult: 'ok', // 'ok' | a status code to answer with | 'network' to throw
    logoutResult: 204, // a status code, or 'network'
    rejectAllAccessTokens: false,
    reuses: 0, // rotated refresh tokens presented again (each revoked its session)

    count(path) { return gw.calls.filter((c) => c.path === path).length; },
    expireAccessToken() { validAccess = null; },
    get refreshToken() { return currentRefresh; },
    get cookie() { return cookieJar; },

    /** Holds every answer on `path` until the returned function is called. */
    hold(path) {
      let release;
      gates.set(path, new Promise((resolve) => { release = resolve; }));
      return () => { gates.delete(path); release(); };
    },

    async fetch(input, init = {}) {
      const request = typeof input === 'object' && 'url' in input ? input : null;
      const url = new URL(request ? request.url : String(input), 'http://gateway.test');
      const headers = new Headers(init.headers ?? request?.headers);
      const call = {
        path: url.pathname,
        method: init.method ?? request?.method ?? 'GET',
        authorization: headers.get('authorization'),
        body: typeof init.body === 'string' ? init.body : init.body ?? null,
        credentials: init.credentials,
        cookie: init.credentials === 'include' ? cookieJar : null, // what the browser sends, taken as it leaves
      };
      gw.calls.push(call);
      // A client that loops must fail its test, not hang the runner.
      if (gw.calls.length > 200) throw new Error('runaway client: more than 200 calls');
      // Answer on a later turn of the event loop, like the network; this also lets test
      // timeouts fire should the client ever loop.
      await new Promise((resolve) => setImmediate(resolve));
      if (gates.has(url.pathname)) await gates.get(url.pathname);

      switch (url.pathname) {
        case '/auth/login': {
          const { username, password } = JSON.parse(call.body);
          if (username !== 'ada' || password !== 'secret') return problem(401, 'invalid_credentials');
          return issue();
        }
        case '/auth/refresh': {
          const result = gw.refreshResult;
          if (result === 'network') throw new TypeError('fetch failed');
          if (result !== 'ok') return problem(result, result === 401 ? 'invalid_grant' : 'temporarily_unavailable');
          const presented = presentedRefreshToken(call);
          const family = families.get(presented);
          if (!family || family.revoked) return problem(401, 'invalid_grant');
          if (family.current !== presented) {
            gw.reuses += 1;
            family.revoked = true;
            return problem(401, 'invalid_grant');
          }
          return issue(family);
        }
        case '/auth/logout': {
          if (gw.logoutResult === 'network') throw new TypeError('fetch failed');
          const family = families.get(presentedRefreshToken(call));
          if (family) family.revoked = true;
          if (mode === 'cookie') cookieJar = null;
          return new Response(null, { status: gw.logoutResult });
        }
        case '/forbidden':
          return problem(403, 'insufficient_scope', { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' });
        default: {
          if (!call.authorization) {
            return problem(401, 'invalid_token', { 'WWW-Authenticate': 'Bearer realm="tollgate"' });
          }
          const token = call.authorization.replace(/^Bearer /, '');
          if (gw.rejectAllAccessTokens || token !== validAccess) {
            return problem(401, 'invalid_token', {
              'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"',
            });
          }
          return json({ path: url.pathname, token });
        }
      }
    },
  };

  /** The refresh token a call carries: the body's in body mode, the cookie sent in cookie mode. */
  function presentedRefreshToken(call) {
    return mode === 'cookie' ? call.cookie : JSON.parse(call.body ?? '{}').refreshToken;
  }

  /** A token response: a new session (login), or the next refresh token of `family`. */
  function issue(family = { revoked: false }) {
    generation += 1;
    validAccess = `a${generation}`;
    currentRefresh = `r${generation}`;
    family.current = currentRefresh;
    families.set(currentRefresh, family);
    const body = { accessToken: validAccess, tokenType: 'Bearer', ...(expiresIn === null ? {} : { expiresIn }),
      refreshExpiresIn: 604800 };
    if (mode === 'cookie') {
      cookieJar = currentRefresh;
      return json(body, {
        'Set-Cookie': `__Secure-tollgate-refresh=${currentRefresh}; Path=/auth; HttpOnly; Secure; SameSite=Strict`,
      });
    }
    return json({ ...body, refreshToken: currentRefresh });
  }

  return gw;
}

/** Waits until `condition()` holds, letting pending promises and timers run in between. */
export async function until(condition, what = 'condition') {
  for (let i = 0; i < 1000; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Lets every promise that can settle now settle. */
export const flush = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The smallest axios look-alike the adapter needs: an interceptor chain and request(config).
 * Non-2xx answers reject with { config, response } like axios does.
 */
export function fakeAxios(fetch) {
  const requestHandlers = [];
  const responseErrorHandlers = [];
  const instance = {
    interceptors: {
      request: { use(onFulfilled) { return requestHandlers.push(onFulfilled) - 1; } },
      response: { use(_onFulfilled, onRejected) { return responseErrorHandlers.push(onRejected) - 1; } },
    },
    async request(config) {
      for (const handler of requestHandlers) config = await handler(config);
      const res = await fetch(config.url, { method: config.method ?? 'GET', headers: config.headers, body: config.data });
      const response = {
        status: res.status,
        headers: Object.fromEntries(res.headers), // lower-case names, as axios gives them
        data: await res.json().catch(() => null),
        config,
      };
      if (res.ok) return response;
      let error = Object.assign(new Error(`Request failed with status code ${res.status}`), { config, response });
      for (const handler of responseErrorHandlers) {
        try { return await handler(error); } catch (next) { error = next; }
      }
      throw error;
    },
  };
  return instance;
}

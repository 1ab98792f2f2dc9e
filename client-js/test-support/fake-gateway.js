// A fake Tollgate gateway behind a fake `fetch`, following /CONTRACT.md closely enough to drive
// the client: access tokens are `a1`, `a2`, … (one generation valid at a time), refresh tokens
// `r1`, `r2`, … rotated on every refresh. Presenting a rotated refresh token again is reuse: its
// session (family) is revoked, as the real gateway does with `reuse-grace: 0s`. In cookie mode it
// also plays the browser's cookie jar: a credentialed request carries the cookie the jar holds when
// it leaves, and the jar takes the new one when the answer arrives. Lives outside test/ because
// `node --test test/` on Node 20 would run every .js file there as a test file.
//
// With `dpop: { nonce }` it checks DPoP proofs as docs DPOP.md has the gateway do (test-support/dpop-proofs.js):
// a valid proof at login binds the session to the key (`tokenType: "DPoP"`), a bound session's refresh
// needs a proof by the same key, a bound token goes only as `Authorization: DPoP` with a proof of it;
// `nonce: 'token-endpoint' | 'always'` asks for server nonces (`use_dpop_nonce`: 400 with a problem body at
// the token endpoint, 401 with a WWW-Authenticate challenge elsewhere).

import { decodeProof, verifyProof } from './dpop-proofs.js';

const problem = (status, error, extraHeaders = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', status, error }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...extraHeaders },
  });

const json = (body, headers = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ...headers } });

export function fakeGateway({ mode = 'body', expiresIn = 900, dpop = null } = {}) {
  let generation = 0;
  let validAccess = null; // the one access token the "API" accepts; null once expired
  let currentRefresh = null; // the newest refresh token issued
  const families = new Map(); // refresh token -> its session: { current, revoked }
  let cookieJar = null; // cookie mode: the refresh cookie the browser holds
  const gates = new Map(); // path -> promise every answer on that path waits for
  const boundTo = new Map(); // access token -> the key thumbprint it is bound to
  const jtis = new Set(); // proofs seen (replay)
  let nonceGeneration = 1;

  const gw = {
    calls: [], // { path, method, authorization, body, credentials } in arrival order
    refreshResult: 'ok', // 'ok' | a status code to answer with | 'network' to throw
    logoutResult: 204, // a status code, or 'network'
    rejectAllAccessTokens: false,
    reuses: 0, // rotated refresh tokens presented again (each revoked its session)
    dpopRejections: [], // why proofs were refused, in order
    get nonce() { return `n${nonceGeneration}`; },
    /** A new nonce window: the old nonce is stale from now on. */
    rotateNonce() { nonceGeneration += 1; },

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
        dpop: headers.get('dpop'),
        proof: headers.get('dpop') ? decodeProof(headers.get('dpop')) : null,
        cookie: init.credentials === 'include' ? cookieJar : null, // what the browser sends, taken as it leaves
      };
      gw.calls.push(call);
      // A client that loops must fail its test, not hang the runner.
      if (gw.calls.length > 200) throw new Error('runaway client: more than 200 calls');
      // Answer on a later turn of the event loop, like the network; this also lets test
      // timeouts fire should the client ever loop.
      await new Promise((resolve) => setImmediate(resolve));
      if (gates.has(url.pathname)) await gates.get(url.pathname);

      const tokenEndpoint = url.pathname.startsWith('/auth/');
      let jkt = null;
      if (dpop && tokenEndpoint && call.dpop) {
        const checked = await checkProof(call, url, null, dpop.nonce !== 'off', 400);
        if (checked instanceof Response) return checked;
        jkt = checked;
      }
      const answer = await (tokenEndpoint ? tokenEndpointAnswer(url, call, jkt) : resource(url, call));
      if (dpop && dpop.nonce !== 'off' && call.dpop && answer.ok) answer.headers.set('DPoP-Nonce', gw.nonce);
      return answer;
    },
  };

  /**
   * A proof's checks (RFC 9449 §4.3, §8): its thumbprint, or the error answer. Errors are 400 with a problem
   * body at the token endpoint, 401 with a DPoP challenge elsewhere.
   */
  async function checkProof(call, url, accessToken, needsNonce, status) {
    const refuse = (error, description, extraHeaders = {}) => {
      gw.dpopRejections.push(description);
      return problem(status, error, status === 401
        ? { 'WWW-Authenticate': `DPoP algs="ES256 EdDSA", error="${error}"`, ...extraHeaders } : extraHeaders);
    };
    if (!call.dpop) return refuse('invalid_dpop_proof', 'no proof');
    let checked;
    try {
      checked = await verifyProof(call.dpop, { method: call.method, url: url.href, accessToken });
    } catch (error) {
      return refuse('invalid_dpop_proof', error.message);
    }
    if (needsNonce && checked.claims.nonce !== gw.nonce) {
      return refuse('use_dpop_nonce', `nonce ${checked.claims.nonce}`, { 'DPoP-Nonce': gw.nonce });
    }
    if (jtis.has(`${checked.jkt}.${checked.claims.jti}`)) return refuse('invalid_dpop_proof', 'replay');
    jtis.add(`${checked.jkt}.${checked.claims.jti}`);
    call.jkt = checked.jkt;
    return checked.jkt;
  }

  async function tokenEndpointAnswer(url, call, jkt) {
    switch (url.pathname) {
      case '/auth/login': {
        const { username, password } = JSON.parse(call.body);
        if (username !== 'ada' || password !== 'secret') return problem(401, 'invalid_credentials');
        return issue(undefined, jkt);
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
        if (family.jkt && family.jkt !== jkt) {
          gw.dpopRejections.push('refresh without the bound key');
          return problem(400, 'invalid_grant'); // nothing rotated
        }
        return issue(family, family.jkt ?? null);
      }
      case '/auth/logout': {
        if (gw.logoutResult === 'network') throw new TypeError('fetch failed');
        const family = families.get(presentedRefreshToken(call));
        if (family) family.revoked = true;
        if (mode === 'cookie') cookieJar = null;
        return new Response(null, { status: gw.logoutResult });
      }
      default:
        return problem(404, 'not_found');
    }
  }

  async function resource(url, call) {
    switch (url.pathname) {
      case '/forbidden':
        return problem(403, 'insufficient_scope', { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' });
      default: {
        if (!call.authorization) {
          return problem(401, 'invalid_token', { 'WWW-Authenticate': 'Bearer realm="tollgate"' });
        }
        const [, scheme, token] = /^(Bearer|DPoP) (.*)$/.exec(call.authorization) ?? [];
        const invalid = (description) => problem(401, 'invalid_token', {
          'WWW-Authenticate': `${scheme ?? 'Bearer'} error="invalid_token", error_description="${description}"`,
        });
        if (gw.rejectAllAccessTokens || token !== validAccess) return invalid('The access token expired');
        const bound = boundTo.get(token) ?? null;
        if (dpop && (scheme === 'DPoP') !== (bound !== null)) return invalid('scheme does not fit the token');
        if (bound !== null) {
          const jkt = await checkProof(call, url, token, dpop.nonce === 'always', 401);
          if (jkt instanceof Response) return jkt;
          if (jkt !== bound) return problem(401, 'invalid_dpop_proof', { 'WWW-Authenticate': 'DPoP error="invalid_dpop_proof"' });
        }
        return json({ path: url.pathname, token });
      }
    }
  }

  /** The refresh token a call carries: the body's in body mode, the cookie sent in cookie mode. */
  function presentedRefreshToken(call) {
    return mode === 'cookie' ? call.cookie : JSON.parse(call.body ?? '{}').refreshToken;
  }

  /** A token response: a new session (login), or the next refresh token of `family`. */
  function issue(family = { revoked: false }, jkt = null) {
    generation += 1;
    validAccess = `a${generation}`;
    currentRefresh = `r${generation}`;
    family.current = currentRefresh;
    family.jkt = jkt;
    families.set(currentRefresh, family);
    if (jkt !== null) boundTo.set(validAccess, jkt);
    const body = { accessToken: validAccess, tokenType: jkt === null ? 'Bearer' : 'DPoP', ...(expiresIn === null ? {} : { expiresIn }),
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
  const responseHandlers = [];
  const responseErrorHandlers = [];
  const instance = {
    interceptors: {
      request: { use(onFulfilled) { return requestHandlers.push(onFulfilled) - 1; } },
      response: {
        use(onFulfilled, onRejected) {
          if (onFulfilled) responseHandlers.push(onFulfilled);
          return responseErrorHandlers.push(onRejected) - 1;
        },
      },
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
      if (res.ok) {
        let result = response;
        for (const handler of responseHandlers) result = await handler(result);
        return result;
      }
      let error = Object.assign(new Error(`Request failed with status code ${res.status}`), { config, response });
      for (const handler of responseErrorHandlers) {
        try { return await handler(error); } catch (next) { error = next; }
      }
      throw error;
    },
  };
  return instance;
}

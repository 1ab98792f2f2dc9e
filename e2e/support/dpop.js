// What the DPoP tests check of the browser's traffic (RFC 9449): proofs read from the requests Chromium sent,
// verified here with Node's crypto, key thumbprints (RFC 7638) computed from the proofs' `jwk`, and the key the
// client keeps in IndexedDB (database `tollgate-dpop`).
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';

const fromBase64url = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** A compact JWS's header and claims, decoded (not verified). */
export function decodeJwt(jwt) {
  const [header, payload] = jwt.split('.');
  return { header: fromBase64url(header), claims: fromBase64url(payload) };
}

/** The RFC 7638 thumbprint of a public JWK: SHA-256 of its required members in lexicographic order. */
export function jwkThumbprint(jwk) {
  const members = {
    EC: () => ({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }),
    OKP: () => ({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }),
    RSA: () => ({ e: jwk.e, kty: jwk.kty, n: jwk.n }),
  }[jwk.kty];
  assert.ok(members, `a key type a thumbprint is defined for: ${jwk.kty}`);
  return createHash('sha256').update(JSON.stringify(members())).digest('base64url');
}

/** The `cnf.jkt` of an access token: the thumbprint of the key it is bound to (undefined: a bearer token). */
export const boundKey = (accessToken) => decodeJwt(accessToken).claims.cnf?.jkt;

const SIGNATURE = {
  ES256: (key, input, signature) => verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature),
  EdDSA: (key, input, signature) => verify(null, input, key, signature),
};

/**
 * Asserts that `proof` is a DPoP proof (§4.2) for `htm` `htu` (and, with `token`, for that access token: `ath`),
 * signed by the key in its own `jwk` header, issued just now; returns that key's thumbprint and its `jti`.
 */
export function assertProof(proof, { htm, htu, token = null }) {
  assert.equal(typeof proof, 'string', `a DPoP header on ${htm} ${htu}`);
  const { header, claims } = decodeJwt(proof);
  assert.equal(header.typ, 'dpop+jwt');
  assert.ok(header.alg in SIGNATURE, `alg ${header.alg} is ES256 or EdDSA`);
  assert.equal(header.jwk.d, undefined, 'the jwk is a public key');
  const [h, p, s] = proof.split('.');
  const key = createPublicKey({ key: header.jwk, format: 'jwk' });
  assert.ok(SIGNATURE[header.alg](key, Buffer.from(`${h}.${p}`), Buffer.from(s, 'base64url')),
    'the proof is signed by the key in its jwk');
  assert.equal(claims.htm, htm);
  assert.equal(claims.htu, htu);
  assert.ok(Math.abs(Date.now() / 1000 - claims.iat) < 30, 'iat is now');
  assert.match(claims.jti, /^[\w-]{16,}$/);
  if (token === null) {
    assert.equal(claims.ath, undefined, 'no ath at the token endpoint');
  } else {
    assert.equal(claims.ath, createHash('sha256').update(token).digest('base64url'), 'ath is the token\'s hash');
  }
  return { thumbprint: jwkThumbprint(header.jwk), jti: claims.jti };
}

/**
 * Records every request `target` (a page or a browser context) sends. `sent(path, from)` resolves to those
 * whose path is `path` (or starts with it, if it ends with '/'), from the `from`-th request on, each as
 * `{ method, url, path, authorization, proof }`: the headers as Chromium sent them.
 */
export function recordRequests(target) {
  const requests = [];
  target.on('request', (request) => requests.push(request));
  return {
    get count() { return requests.length; },
    async sent(path, from = 0) {
      const matches = requests.slice(from).filter((request) => {
        const { pathname } = new URL(request.url());
        return path.endsWith('/') ? pathname.startsWith(path) : pathname === path;
      });
      return Promise.all(matches.map(async (request) => {
        const headers = await request.allHeaders();
        const url = new URL(request.url());
        return {
          method: request.method(), url: `${url.origin}${url.pathname}`, path: url.pathname,
          authorization: headers.authorization, proof: headers.dpop,
        };
      }));
    },
  };
}

/**
 * Asserts that each of `requests` to the API went with `Authorization: DPoP <token>` (one of `tokens`, if
 * given) and a proof of that token by the key `thumbprint`; returns the proofs' `jti`s.
 */
export function assertDpopCalls(requests, thumbprint, tokens = null) {
  assert.ok(requests.length > 0, 'some API requests to check');
  return requests.map(({ method, url, authorization, proof }) => {
    assert.match(authorization ?? '', /^DPoP [\w-]+\.[\w-]+\.[\w-]+$/, `${method} ${url}: Authorization: DPoP`);
    const token = authorization.slice('DPoP '.length);
    if (tokens) assert.ok(tokens.includes(token), `${method} ${url} went with the expected access token`);
    assert.equal(boundKey(token), thumbprint, 'the access token is bound to the key');
    const checked = assertProof(proof, { htm: method, htu: url, token });
    assert.equal(checked.thumbprint, thumbprint, `${method} ${url}: the proof is signed by the bound key`);
    return checked.jti;
  });
}

/**
 * The key pairs the page's origin keeps in IndexedDB `tollgate-dpop`: each one's public JWK and whether its
 * private key is extractable. Opened without a version, so a test never creates or upgrades the database the
 * client would then find without its object store.
 */
export async function storedKeys(page) {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((db) => db.name === 'tollgate-dpop')) return [];
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('tollgate-dpop');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('keys')) return [];
      const records = await new Promise((resolve, reject) => {
        const request = db.transaction('keys').objectStore('keys').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return records.map((record) => ({ jwk: record.jwk, extractable: record.privateKey.extractable }));
    } finally {
      db.close();
    }
  });
}

/** The thumbprints of the keys in the page's IndexedDB, after checking that no private key can be read out. */
export async function storedThumbprints(page) {
  const keys = await storedKeys(page);
  for (const key of keys) assert.equal(key.extractable, false, 'the stored private key is not extractable');
  return keys.map((key) => jwkThumbprint(key.jwk));
}

/**
 * DPoP proofs (RFC 9449): a key pair the client keeps (src/dpop-keys.js), a signed proof for each request
 * (§4.2), and the server's nonces (§8, §9).
 */

import { keyStore } from './dpop-keys.js';
import { headerValue } from './headers.js';

const ALGORITHMS = {
  ES256: {
    generate: { name: 'ECDSA', namedCurve: 'P-256' },
    // WebCrypto's ECDSA signature is already R || S, 32 bytes each: the JWS form (RFC 7518 §3.4).
    sign: { name: 'ECDSA', hash: 'SHA-256' },
    publicJwk: ({ kty, crv, x, y }) => ({ kty, crv, x, y }),
  },
  EdDSA: {
    generate: { name: 'Ed25519' },
    sign: { name: 'Ed25519' },
    publicJwk: ({ kty, crv, x }) => ({ kty, crv, x }),
  },
};

// RFC 9449 §7.1 and §8: the nonce challenge, as a WWW-Authenticate parameter or a problem's error code.
const USE_DPOP_NONCE = /\berror\s*=\s*"?use_dpop_nonce\b/i;

/**
 * @param {object} settings
 * @param {'ES256'|'EdDSA'} [settings.algorithm='ES256'] EdDSA (Ed25519) falls back to ES256 where the
 *   browser cannot make Ed25519 keys
 * @param {IDBFactory|null} [settings.indexedDB=globalThis.indexedDB] where the key pair is kept
 * @param {string} settings.name the key's name in the store
 * @param {(url: string) => URL} settings.resolve makes a request URL absolute
 */
export function createDpop({ algorithm = 'ES256', indexedDB = globalThis.indexedDB, name, resolve }) {
  if (!(algorithm in ALGORITHMS)) throw new TypeError(`dpop.algorithm must be 'ES256' or 'EdDSA', not ${algorithm}`);
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new TypeError('dpop needs WebCrypto (a secure context: HTTPS or http://localhost)');
  const store = keyStore(indexedDB);
  const nonces = new Map(); // origin -> the last DPoP-Nonce it sent
  let key = null; // Promise<KeyRecord>: the store's key as last read

  async function newKeyPair() {
    for (const alg of algorithm === 'EdDSA' ? ['EdDSA', 'ES256'] : ['ES256']) {
      let pair;
      try {
        // Not extractable: script can sign with the private key but never read it out (the public key
        // of a generated pair is always extractable, which the jwk header needs).
        pair = await subtle.generateKey(ALGORITHMS[alg].generate, false, ['sign', 'verify']);
      } catch (error) {
        if (alg === 'ES256') throw error; // no Ed25519 in this browser: ES256 it is
        continue;
      }
      const jwk = ALGORITHMS[alg].publicJwk(await subtle.exportKey('jwk', pair.publicKey));
      return { privateKey: pair.privateKey, publicKey: pair.publicKey, alg, jwk };
    }
  }

  async function readOrCreate() {
    const found = await store.get(name);
    if (found) return found;
    await store.addIfAbsent(name, await newKeyPair());
    return store.get(name); // another tab may have added its key first: use that one
  }

  /**
   * The key pair: the one this client read last, or with `fresh` the store's as it is now (made if there
   * is none). Token-endpoint calls read it fresh, under the tabs' lock; requests use what they have.
   */
  function keyPair({ fresh = false } = {}) {
    if (fresh || key === null) {
      const reading = readOrCreate();
      key = reading;
      reading.catch(() => { if (key === reading) key = null; });
    }
    return key;
  }

  /**
   * A proof for one request (§4.2), signed by the key pair.
   * @param {string} method
   * @param {string} url the request URL as sent (query and fragment are left out of `htu`)
   * @param {string|null} [accessToken] the token sent with it, whose hash becomes `ath` (§4.3)
   */
  async function proof(method, url, accessToken = null) {
    const { privateKey, alg, jwk } = await keyPair();
    const target = resolve(url);
    const htu = `${target.origin}${target.pathname}`;
    const header = { typ: 'dpop+jwt', alg, jwk };
    const claims = {
      jti: base64url(globalThis.crypto.getRandomValues(new Uint8Array(16))),
      htm: method.toUpperCase(),
      htu,
      iat: Math.floor(Date.now() / 1000),
      ...(accessToken === null ? {} : { ath: base64url(await subtle.digest('SHA-256', utf8(accessToken))) }),
      ...(nonces.has(target.origin) ? { nonce: nonces.get(target.origin) } : {}),
    };
    const signingInput = `${base64url(utf8(JSON.stringify(header)))}.${base64url(utf8(JSON.stringify(claims)))}`;
    const signature = await subtle.sign(ALGORITHMS[alg].sign, privateKey, utf8(signingInput));
    return `${signingInput}.${base64url(signature)}`;
  }

  return {
    keyPair,
    proof,
    /** Keeps the `DPoP-Nonce` an answer from `url`'s origin carries, for the next proofs to that origin. */
    noteNonce(url, headers) {
      const nonce = headerValue(headers, 'dpop-nonce');
      if (nonce) nonces.set(resolve(url).origin, nonce);
      return nonce !== null && nonce !== undefined && nonce !== '';
    },
    /** Forgets the key read (another tab may replace it): the next proof reads the store again. */
    forgetKey() { key = null; },
    /** Deletes the key pair (logout): the next login makes a new one. */
    async dropKey() {
      key = null;
      await store.delete(name);
    },
  };
}

/**
 * Whether an answer is the server's nonce challenge (§8, §9): `401` with `WWW-Authenticate: DPoP
 * error="use_dpop_nonce"`, or `400` (token endpoint) with that header or a problem whose `error` says so.
 * @param {number} status
 * @param {Headers|object} headers
 * @param {() => unknown} body the parsed body, asked for only when it may tell (a 400)
 */
export async function isNonceChallenge(status, headers, body) {
  if (status !== 400 && status !== 401) return false;
  if (USE_DPOP_NONCE.test(headerValue(headers, 'www-authenticate') ?? '')) return true;
  if (status !== 400) return false;
  try {
    return (await body())?.error === 'use_dpop_nonce';
  } catch {
    return false; // not JSON: not the challenge
  }
}

const utf8 = (text) => new TextEncoder().encode(text);

function base64url(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// Checks DPoP proofs (RFC 9449 §4.3) with Node's WebCrypto, the way the gateway does, for the fake
// gateway and for tests that look at a proof themselves.

const subtle = globalThis.crypto.subtle;
const ALGORITHMS = {
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' } },
  EdDSA: { import: { name: 'Ed25519' }, verify: { name: 'Ed25519' } },
};

export const base64url = (bytes) => Buffer.from(bytes).toString('base64url');
const json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** RFC 7638 thumbprint of a public JWK (EC or OKP). */
export async function thumbprint(jwk) {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
    : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return base64url(await subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(members))));
}

/** base64url SHA-256 of an access token: a proof's `ath`. */
export async function tokenHash(token) {
  return base64url(await subtle.digest('SHA-256', new TextEncoder().encode(token)));
}

/** Reads a proof without checking it. */
export function decodeProof(proof) {
  const [header, claims] = proof.split('.');
  return { header: json(header), claims: json(claims) };
}

export class ProofError extends Error {}

/**
 * Checks a proof's form, signature and claims; resolves to `{ header, claims, jkt }`.
 * @param {string} proof
 * @param {{method: string, url: string, accessToken?: string|null, now?: number, maxAgeSeconds?: number}} expected
 */
export async function verifyProof(proof, { method, url, accessToken = null, now = Date.now(), maxAgeSeconds = 60 }) {
  const parts = String(proof).split('.');
  if (parts.length !== 3) throw new ProofError('not a compact JWS');
  const { header, claims } = decodeProof(proof);
  if (header.typ !== 'dpop+jwt') throw new ProofError(`typ ${header.typ}`);
  const algorithm = ALGORITHMS[header.alg];
  if (!algorithm) throw new ProofError(`alg ${header.alg}`);
  if (!header.jwk || 'd' in header.jwk) throw new ProofError('jwk is not a public key');
  const key = await subtle.importKey('jwk', header.jwk, algorithm.import, true, ['verify']);
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!(await subtle.verify(algorithm.verify, key, Buffer.from(parts[2], 'base64url'), signed))) {
    throw new ProofError('bad signature');
  }
  const target = new URL(url);
  if (claims.htm !== method.toUpperCase()) throw new ProofError(`htm ${claims.htm}`);
  if (claims.htu !== `${target.origin}${target.pathname}`) throw new ProofError(`htu ${claims.htu}`);
  if (!Number.isInteger(claims.iat) || Math.abs(now / 1000 - claims.iat) > maxAgeSeconds) throw new ProofError('iat');
  if (typeof claims.jti !== 'string' || Buffer.from(claims.jti, 'base64url').length < 16) throw new ProofError('jti');
  if (accessToken !== null && claims.ath !== await tokenHash(accessToken)) throw new ProofError('ath');
  if (accessToken === null && 'ath' in claims) throw new ProofError('ath at the token endpoint');
  return { header, claims, jkt: await thumbprint(header.jwk) };
}

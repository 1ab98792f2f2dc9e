// DPoP proofs (RFC 9449 §4) for the edge benchmark, made before the run: wrk cannot sign, so every request takes
// the next line of a file. One key per file (ES256 or EdDSA), `count` proofs for one method and URL, each with its
// own jti and iat = now, and `ath` when an access token is given. Node's crypto signs with OpenSSL, about 30 µs a
// proof: a million proofs take well under a minute.
//
//   node dpop-proofs.mjs key ES256|EdDSA KEY_FILE                 # a new key pair (JWK, private) into KEY_FILE
//   node dpop-proofs.mjs jkt KEY_FILE                             # its RFC 7638 thumbprint
//   node dpop-proofs.mjs proofs KEY_FILE METHOD URL COUNT [ACCESS_TOKEN] > proofs.txt
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

function publicJwk(jwk) {
  return jwk.kty === 'EC' ? { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: 'OKP', crv: jwk.crv, x: jwk.x };
}

function thumbprint(jwk) {
  // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: 'OKP', x: jwk.x };
  return b64url(createHash('sha256').update(JSON.stringify(members)).digest());
}

const [command, ...args] = process.argv.slice(2);
if (command === 'key') {
  const [algorithm, file] = args;
  const { privateKey } = algorithm === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('ed25519');
  writeFileSync(file, JSON.stringify({ alg: algorithm, jwk: privateKey.export({ format: 'jwk' }) }));
} else if (command === 'jkt') {
  process.stdout.write(thumbprint(JSON.parse(readFileSync(args[0], 'utf8')).jwk) + '\n');
} else if (command === 'proofs') {
  const [file, method, url, count, accessToken] = args;
  const { alg, jwk } = JSON.parse(readFileSync(file, 'utf8'));
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const header = b64url(JSON.stringify({ typ: 'dpop+jwt', alg, jwk: publicJwk(jwk) }));
  const ath = accessToken ? b64url(createHash('sha256').update(accessToken, 'ascii').digest()) : undefined;
  const iat = Math.floor(Date.now() / 1000);
  const lines = [];
  for (let i = 0; i < Number(count); i++) {
    const claims = { jti: b64url(randomBytes(16)), htm: method, htu: url, iat, ...(ath ? { ath } : {}) };
    const input = header + '.' + b64url(JSON.stringify(claims));
    // ES256: the JWS signature is R || S (ieee-p1363), not DER
    const signature = alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
      : sign(null, Buffer.from(input), key);
    lines.push(input + '.' + b64url(signature));
    if (lines.length === 10000) {
      process.stdout.write(lines.join('\n') + '\n');
      lines.length = 0;
    }
  }
  if (lines.length) process.stdout.write(lines.join('\n') + '\n');
} else {
  console.error('usage: dpop-proofs.mjs key ES256|EdDSA FILE | jkt FILE | proofs FILE METHOD URL COUNT [TOKEN]');
  process.exit(2);
}

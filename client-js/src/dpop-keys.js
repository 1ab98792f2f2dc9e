/**
 * Where the DPoP key pair lives (RFC 9449 §2: the client's private key never leaves it). In a browser:
 * IndexedDB, which keeps `CryptoKey` objects as they are (structured clone), non-extractable private key
 * included, so a reload finds the same key and every tab of the profile uses the same one. Without
 * IndexedDB (Node, or `indexedDB: null`): the memory of this client, for its lifetime.
 *
 * Two tabs that find no key at the same moment must not end up with two: a new key is only ever *added*
 * (an IndexedDB `add` fails when the name is taken, atomically across tabs), then read back, so the
 * loser of the race uses the winner's key.
 */

const DB_NAME = 'tollgate-dpop';
const DB_VERSION = 1;
const STORE = 'keys';

/**
 * @typedef {{privateKey: CryptoKey, publicKey: CryptoKey, alg: 'ES256'|'EdDSA', jwk: object}} KeyRecord
 * @typedef {{get(name: string): Promise<KeyRecord|undefined>, addIfAbsent(name: string, record: KeyRecord): Promise<void>,
 *   delete(name: string): Promise<void>}} KeyStore
 */

/**
 * @param {IDBFactory|null|undefined} factory `indexedDB`, or null for a store in memory
 * @returns {KeyStore}
 */
export function keyStore(factory) {
  return factory ? indexedDbStore(factory) : memoryStore();
}

function memoryStore() {
  const records = new Map();
  return {
    async get(name) { return records.get(name); },
    async addIfAbsent(name, record) { if (!records.has(name)) records.set(name, record); },
    async delete(name) { records.delete(name); },
  };
}

function indexedDbStore(factory) {
  let opening = null; // one connection per client, reopened if another page upgrades the database

  function database() {
    opening ??= new Promise((resolve, reject) => {
      const request = factory.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
    });
    return opening;
  }

  /** Runs one request in its own transaction; resolves with its result once the transaction committed. */
  async function run(mode, makeRequest, onRequestError) {
    const db = await database();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = makeRequest(tx.objectStore(STORE));
      if (onRequestError) request.onerror = (event) => onRequestError(request.error, event);
      tx.oncomplete = () => resolve(request.result);
      tx.onabort = () => reject(tx.error ?? request.error);
    });
  }

  return {
    get: (name) => run('readonly', (store) => store.get(name)),
    // `add`, never `put`: a key another tab stored first stays; the caller reads back whichever won.
    addIfAbsent: (name, record) => run('readwrite', (store) => store.add(record, name), (error, event) => {
      if (error?.name === 'ConstraintError') event.preventDefault(); // taken: not a failure, commit
    }).then(() => {}),
    delete: (name) => run('readwrite', (store) => store.delete(name)).then(() => {}),
  };
}

// An IndexedDB stand-in for Node (IDBFactory's `open`, one object store, `get`/`add`/`delete` requests),
// enough for the client's DPoP key store. Values are stored as structured clones, as IndexedDB does:
// CryptoKey objects included, non-extractable ones too. Each transaction runs on a later turn of the event
// loop, all its requests at once, so transactions never interleave (as IndexedDB's readwrite ones on one
// store do not). Several clients given the same factory play the tabs of one browser profile, or one tab
// before and after a reload.

export function fakeIndexedDB() {
  const databases = new Map(); // name -> { version, stores: Map<store name, Map<key, value>> }

  const factory = {
    /** How many add requests found their key taken (ConstraintError). */
    constraintErrors: 0,

    /** The values one store of one database holds now (as clones). */
    contents(dbName, storeName) {
      const records = databases.get(dbName)?.stores.get(storeName) ?? new Map();
      return new Map([...records].map(([key, value]) => [key, structuredClone(value)]));
    },

    open(name, version = 1) {
      const request = { result: null, error: null, onsuccess: null, onerror: null, onupgradeneeded: null };
      setImmediate(() => {
        let db = databases.get(name);
        if (!db) databases.set(name, db = { version: 0, stores: new Map() });
        if (version < db.version) {
          request.error = new DOMException('version is lower than the existing one', 'VersionError');
          request.onerror?.({});
          return;
        }
        const upgrade = version > db.version;
        db.version = version;
        request.result = {
          onversionchange: null,
          close() {},
          createObjectStore(storeName) { db.stores.set(storeName, new Map()); },
          transaction(storeName, mode = 'readonly') {
            const records = db.stores.get(storeName);
            if (!records) throw new DOMException(`no object store ${storeName}`, 'NotFoundError');
            return transaction(records, mode);
          },
        };
        if (upgrade) request.onupgradeneeded?.({});
        request.onsuccess?.({});
      });
      return request;
    },
  };

  function transaction(records, mode) {
    const pending = [];
    const request = (run) => {
      const req = { result: undefined, error: null, onsuccess: null, onerror: null };
      pending.push([req, run]);
      return req;
    };
    const writable = () => {
      if (mode !== 'readwrite') throw new DOMException('read-only transaction', 'ReadOnlyError');
    };
    const store = {
      get: (key) => request(() => (records.has(key) ? structuredClone(records.get(key)) : undefined)),
      add(value, key) {
        writable();
        const copy = structuredClone(value); // DataCloneError here, at the call, as in a browser
        return request(() => {
          if (records.has(key)) {
            factory.constraintErrors += 1;
            throw new DOMException('Key already exists in the object store.', 'ConstraintError');
          }
          records.set(key, copy);
          return key;
        });
      },
      delete(key) {
        writable();
        return request(() => { records.delete(key); });
      },
    };
    const tx = { error: null, oncomplete: null, onabort: null, objectStore: () => store };
    setImmediate(() => {
      for (const [req, run] of pending) {
        try {
          req.result = run();
          req.onsuccess?.({});
        } catch (error) {
          req.error = error;
          let prevented = false;
          req.onerror?.({ preventDefault() { prevented = true; } });
          if (!prevented) {
            tx.error = error; // (single-request transactions here: nothing to roll back)
            tx.onabort?.({});
            return;
          }
        }
      }
      tx.oncomplete?.({});
    });
    return tx;
  }

  return factory;
}

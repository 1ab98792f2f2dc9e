// What tabs of one browser share, faked for Node: a Web Locks manager, BroadcastChannel endpoints and a
// synchronous storage. Each client made with `crossTab: browser.tab()` plays one tab.

/**
 * A browser whose Web Locks grant each name to one holder at a time, in request order, and whose
 * channel delivers a message to every other endpoint on a later turn of the event loop, as a copy.
 */
export function fakeBrowser() {
  const tails = new Map(); // lock name -> settles when the last holder queued so far lets go
  const endpoints = new Set();
  let holding = null; // which messages to keep back until released
  const held = [];

  function deliverLater(endpoint, data) {
    setImmediate(() => {
      if (endpoints.has(endpoint)) for (const listener of endpoint.listeners) listener({ data });
    });
  }

  const browser = {
    /** Every message posted on the channel, as sent. */
    messages: [],

    locks: {
      request(name, callback) {
        const granted = (tails.get(name) ?? Promise.resolve()).then(() => callback({ name, mode: 'exclusive' }));
        tails.set(name, granted.then(() => {}, () => {}));
        return granted;
      },
    },

    /** A BroadcastChannel-like endpoint. */
    channel() {
      const endpoint = {
        listeners: new Set(),
        postMessage(data) {
          const copy = structuredClone(data);
          browser.messages.push(copy);
          for (const other of endpoints) {
            if (other === endpoint) continue;
            if (holding?.(copy)) held.push(() => deliverLater(other, copy));
            else deliverLater(other, copy);
          }
        },
        addEventListener(type, listener) { if (type === 'message') endpoint.listeners.add(listener); },
        removeEventListener(type, listener) { endpoint.listeners.delete(listener); },
        close() { endpoints.delete(endpoint); },
      };
      endpoints.add(endpoint);
      return endpoint;
    },

    /** The `crossTab` option of one more tab. */
    tab() {
      return { locks: browser.locks, channel: browser.channel() };
    },

    /** Keeps back the messages `predicate` picks until the returned function is called. */
    holdMessages(predicate) {
      holding = predicate;
      return () => {
        holding = null;
        for (const deliver of held.splice(0)) deliver();
      };
    },
  };
  return browser;
}

/** A synchronous `storage` (like a wrapper over localStorage) that logs its writes. */
export function memoryStorage(initial = null) {
  const log = [];
  let value = initial;
  return {
    log,
    get: () => value,
    set: (v) => { value = v; log.push(['set', v]); },
    remove: () => { value = null; log.push(['remove']); },
  };
}

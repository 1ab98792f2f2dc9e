/**
 * Coordination between the tabs of one browser that share a refresh token (body mode with a shared
 * `storage`, or cookie mode). A Web Lock makes refresh, login and logout run one at a time across the
 * tabs; a BroadcastChannel tells the other tabs what came of them, so that a tab which gets the lock
 * after another tab refreshed uses that result instead of presenting the rotated refresh token again
 * (the gateway would see reuse and end the session in every tab).
 */

// A tab announces a refresh when it gets the lock and tells its outcome before it lets the lock go;
// the next tab may still get the lock before that message. This bounds the wait for it, for the case
// where the announcing tab was closed in between and no outcome will ever come.
const OUTCOME_WAIT_MS = 3_000;

/**
 * The lock manager and channel of the page this runs in: both are needed, and only a page (a document)
 * has tabs to coordinate, so Node, Deno and workers get null unless given them explicitly.
 * @param {string} name
 */
function fromBrowser(name) {
  const { document, navigator, BroadcastChannel } = globalThis;
  if (typeof document !== 'object' || !navigator?.locks || typeof BroadcastChannel !== 'function') return null;
  return { locks: navigator.locks, channel: new BroadcastChannel(name) };
}

/**
 * @param {undefined|false|{locks: object, channel: object, name?: string}} option the client's `crossTab`
 * @param {object} settings
 * @param {boolean} settings.shared whether tabs share the refresh token; without an explicit option,
 *   coordination is on exactly then
 * @param {string} settings.name the lock's (and the browser's channel's) name
 * @param {(message: object) => void} onMessage called with every outcome another tab reports
 * @returns {null|{exclusive: Function, post: Function, othersSettled: Function, close: Function}}
 */
export function linkTabs(option, { shared, name }, onMessage) {
  if (option === false || (option === undefined && !shared)) return null;
  const env = option ?? fromBrowser(name);
  if (!env) return null; // no Web Locks: each tab on its own, as before (README: reuse-grace covers the race)
  const { locks, channel } = env;
  const lockName = env.name ?? name;
  const self = Math.random().toString(36).slice(2);
  const refreshing = new Set(); // other tabs that announced a refresh and have not told its outcome yet
  let outcomeArrived = () => {};
  let closed = false;

  const listener = ({ data }) => {
    if (!data || data.from === self) return;
    if (data.type === 'refreshing') {
      refreshing.add(data.from);
      return;
    }
    refreshing.delete(data.from);
    onMessage(data);
    outcomeArrived();
  };
  channel.addEventListener('message', listener);

  return {
    /**
     * Runs `fn` holding the lock every tab takes to refresh, log in or log out; resolves to its result.
     * Where the lock cannot be had at all (an opaque origin refuses with SecurityError), runs it anyway.
     */
    async exclusive(fn) {
      let granted = false;
      try {
        return await locks.request(lockName, () => { granted = true; return fn(); });
      } catch (error) {
        if (granted) throw error;
        return fn();
      }
    },
    /** Tells the other tabs: `{type: 'refreshing'}`, or an outcome (`tokens`, `ended`, `unavailable`). */
    post(message) {
      if (!closed) channel.postMessage({ ...message, from: self });
    },
    /** Resolves once every refresh another tab announced has told its outcome (or after a bounded wait). */
    async othersSettled() {
      const deadline = performance.now() + OUTCOME_WAIT_MS;
      while (refreshing.size > 0 && performance.now() < deadline) {
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, deadline - performance.now());
          outcomeArrived = () => { clearTimeout(timer); resolve(); };
        });
      }
      refreshing.clear(); // whoever has not answered by now never will
    },
    close() {
      closed = true;
      channel.removeEventListener?.('message', listener);
      if (!option) channel.close(); // a channel the caller gave us is the caller's to close
    },
  };
}

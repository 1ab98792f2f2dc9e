// Type declarations of @tollgate/client (the implementation is src/index.js; README.md tells the guarantees).

/** RFC 9457 problem details as the gateway sends them, with Tollgate's extra `error` code. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** Tollgate's error code, e.g. `invalid_credentials`, `too_many_attempts`. */
  error?: string;
  [member: string]: unknown;
}

/** Error thrown by `login()`; carries the problem body the gateway sent. */
export declare class TollgateError extends Error {
  constructor(status: number, problem?: Problem | null);
  readonly name: 'TollgateError';
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The problem's `error` code, or null when the answer had none. */
  readonly code: string | null;
  /** The problem body, or null when the answer was not JSON. */
  readonly problem: Problem | null;
}

/** Where the refresh token is kept between page loads (body mode), e.g. a wrapper over `localStorage`. */
export interface TokenStorage {
  get(): string | null;
  set(value: string): void;
  remove(): void;
}

/** Why a session ended: `logout()` in this or another tab, or a refresh the gateway refused. */
export type LogoutReason = 'logout' | 'refresh_failed';

/** The part of the Web Locks API's `LockManager` (`navigator.locks`) the client uses. */
export interface LockManagerLike {
  request<T>(name: string, callback: (lock: unknown) => T): Promise<Awaited<T>>;
}

/** The part of a `BroadcastChannel` the client uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener?(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** What the client coordinates the tabs of a browser with; see the README, "Across tabs". */
export interface CrossTabOptions {
  locks: LockManagerLike;
  /** Every tab's client needs its own channel object of the same name. */
  channel: ChannelLike;
  /** The lock's name; default `tollgate:<mode>:<baseUrl>`. */
  name?: string;
}

/** The JWS algorithms the client signs DPoP proofs with: ECDSA P-256, or Ed25519. */
export type DpopAlgorithm = 'ES256' | 'EdDSA';

/** DPoP (RFC 9449); see the README, "DPoP". */
export interface DpopOptions {
  /**
   * The key pair's algorithm when one is made. Default `'ES256'` (every browser with WebCrypto);
   * `'EdDSA'` (Ed25519) falls back to ES256 where the browser cannot make Ed25519 keys. A key already
   * stored is used whatever its algorithm, until logout drops it.
   */
  algorithm?: DpopAlgorithm;
  /**
   * Where the key pair is kept: default `globalThis.indexedDB` (one key per gateway and browser profile,
   * kept across reloads, shared by the tabs); `null`, or no IndexedDB (Node), keeps it in this client's memory.
   */
  indexedDB?: IDBFactory | null;
}

export interface TollgateClientOptions {
  /** Prefix for the auth paths and for request paths starting with `/`. Default `''` (same origin). */
  baseUrl?: string;
  /** The fetch to send requests with. Default `globalThis.fetch`, looked up on each call. */
  fetch?: typeof fetch;
  /** Where the refresh token travels; must match `tollgate.refresh-token.cookie.enabled`. Default `'body'`. */
  mode?: 'body' | 'cookie';
  /** Body mode only: keeps the refresh token across page loads (shared by tabs if it is `localStorage`). */
  storage?: TokenStorage | null;
  /** Called once per ended session, in every tab that had it. */
  onLogout?: ((info: { reason: LogoutReason }) => void) | null;
  /**
   * A request made when the access token has less than this left (at most a quarter of its lifetime)
   * refreshes it first. Default 30.
   */
  renewBeforeSeconds?: number;
  /**
   * Coordination with the other tabs: on by default in a page where tabs share the refresh token (cookie
   * mode, or body mode with `storage`) and Web Locks exist; `false` turns it off; an object supplies the
   * lock manager and channel (e.g. in a worker, or fakes in tests).
   */
  crossTab?: false | CrossTabOptions;
  /**
   * DPoP: a non-extractable key pair signs a proof for every request, login, refresh and logout, and tokens
   * the gateway bound to it (`tokenType: "DPoP"`) are sent as `Authorization: DPoP …`. `true` is
   * `{ algorithm: 'ES256' }`. Default `false`.
   */
  dpop?: boolean | DpopOptions;
  /** Default `/auth/login`. */
  loginPath?: string;
  /** Default `/auth/refresh`. */
  refreshPath?: string;
  /** Default `/auth/logout`. */
  logoutPath?: string;
}

/** What `axiosInterceptors` needs of an axios instance (`axios.create()` or `axios` itself). */
export interface AxiosLike {
  interceptors: {
    request: {
      use(onFulfilled: (config: any) => any): number;
      eject?(id: number): void;
    };
    response: {
      use(onFulfilled: ((response: any) => any) | undefined, onRejected: (error: any) => any): number;
      eject?(id: number): void;
    };
  };
  request(config: any): Promise<any>;
}

export interface TollgateClient {
  /** Posts the credentials to the login route; throws a `TollgateError` when the gateway refuses. */
  login(credentials: unknown): Promise<void>;
  /** Revokes the session on the gateway, in every tab; resolves to whether the gateway confirmed it. */
  logout(): Promise<boolean>;
  /**
   * Gets a new access token (one refresh at a time, across tabs too; a tab that waited for another's
   * refresh takes its result). Resolves to whether there is a fresh token now; call it at start-up to
   * restore a session.
   */
  refresh(): Promise<boolean>;
  /** `fetch` with the access token: renewed before it expires, and once more after a 401 invalid_token. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Adds request and response-error interceptors to an axios instance; returns a function that removes them. */
  axiosInterceptors(instance: AxiosLike): () => void;
  /** The access token held now, or null. */
  getAccessToken(): string | null;
  /** Whether an access token is held now. */
  isAuthenticated(): boolean;
  /** Stops listening to the other tabs (the client keeps working on its own). */
  close(): void;
}

export declare function createTollgateClient(options?: TollgateClientOptions): TollgateClient;

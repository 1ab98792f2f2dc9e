// Compiled by `tsc` in `npm test`, never run: how an application uses the package, through its own
// name (so the package.json `types`/`exports` wiring is checked too). Each @ts-expect-error is a misuse
// the declarations must refuse; tsc fails if one of them is accepted.
import axios from 'axios';
import {
  createTollgateClient, TollgateError, type DpopOptions, type LogoutReason, type TokenStorage, type TollgateClient,
} from '@tollgate/client';

const storage: TokenStorage = {
  get: () => localStorage.getItem('refresh'),
  set: (value) => localStorage.setItem('refresh', value),
  remove: () => localStorage.removeItem('refresh'),
};

const reasons: LogoutReason[] = [];
const client: TollgateClient = createTollgateClient({
  baseUrl: 'https://api.example.test',
  storage,
  renewBeforeSeconds: 60,
  onLogout: ({ reason }) => { reasons.push(reason); },
});

// The browser's own Web Locks manager and BroadcastChannel fit `crossTab`, and it can be turned off.
createTollgateClient({ mode: 'cookie', crossTab: { locks: navigator.locks, channel: new BroadcastChannel('tollgate') } });
createTollgateClient({ mode: 'cookie', crossTab: false });
createTollgateClient();

// DPoP: on with the defaults, with an algorithm, with the browser's IndexedDB or none (memory only).
createTollgateClient({ dpop: true });
const dpop: DpopOptions = { algorithm: 'EdDSA', indexedDB };
createTollgateClient({ mode: 'cookie', dpop });
createTollgateClient({ dpop: { algorithm: 'ES256', indexedDB: null } });

async function use(): Promise<void> {
  try {
    await client.login({ username: 'ada', password: 'secret' });
  } catch (e) {
    if (e instanceof TollgateError) {
      const status: number = e.status;
      const code: string | null = e.code;
      console.log(status, code, e.problem?.detail);
    }
  }
  const restored: boolean = await client.refresh();
  const response: Response = await client.fetch('/api/orders', { method: 'GET' });
  await client.fetch(new Request('https://api.example.test/api/orders'));
  await client.fetch(new URL('https://api.example.test/api/orders'));
  const token: string | null = client.getAccessToken();
  const confirmed: boolean = await client.logout();
  console.log(restored, response.status, token, confirmed, client.isAuthenticated());
  client.close();

  // The real axios: an instance and the default export both fit.
  const eject: () => void = client.axiosInterceptors(axios.create({ baseURL: 'https://api.example.test' }));
  client.axiosInterceptors(axios);
  eject();
}
void use;

// @ts-expect-error: there are two modes only
createTollgateClient({ mode: 'header' });
// @ts-expect-error: storage is synchronous and keeps strings
createTollgateClient({ storage: { get: async () => 'r1', set: () => {}, remove: () => {} } });
// @ts-expect-error: crossTab takes false or the lock manager and channel, not true
createTollgateClient({ crossTab: true });
// @ts-expect-error: only ES256 and EdDSA keys are made
createTollgateClient({ dpop: { algorithm: 'RS256' } });
// @ts-expect-error: dpop takes true/false or its options, not an algorithm name
createTollgateClient({ dpop: 'ES256' });
// @ts-expect-error: logout reasons are a closed set
const wrong: LogoutReason = 'expired';
void wrong;
// @ts-expect-error: axiosInterceptors needs an axios instance
client.axiosInterceptors({});

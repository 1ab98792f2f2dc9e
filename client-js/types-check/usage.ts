// Compiled by `tsc` in `npm test`, never run: how an application uses the package, through its own
// name (so the package.json `types`/`exports` wiring is checked too). Each @ts-expect-error is a misuse
// the declarations must refuse; tsc fails if one of them is accepted.
import axios from 'axios';
import {
  createTollgateClient, TollgateError, type LogoutReason, type TokenStorage, type TollgateClient,
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
// @ts-expect-error: logout reasons are a closed set
const wrong: LogoutReason = 'expired';
void wrong;
// @ts-expect-error: axiosInterceptors needs an axios instance
client.axiosInterceptors({});

// Starts the real gateway jar (demo profile) on free loopback ports and stops it again.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const JAR = fileURLToPath(new URL('../../gateway-app/target/gateway-app-0.1.0-SNAPSHOT.jar', import.meta.url));

/** `count` distinct ports that were free on 127.0.0.1 a moment ago (the OS picks them; all held at once). */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
  }
}

/**
 * Starts `java -jar` with the demo profile, a 3 s access-token lifetime and no clock skew, bound to
 * 127.0.0.1, on free ports, and resolves once it answers HTTP. `extraArgs({ origin })` returns more
 * `--key=value` arguments; `origin` is the page's origin (http://localhost:PORT), e.g. for allowed-origins.
 */
export async function startGateway({ extraArgs = () => [], readyTimeoutMs = 60_000 } = {}) {
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build it with ./mvnw -B -DskipTests package`);
  const [port, userServicePort, upstreamPort, managementPort] = await freePorts(4);
  const args = [
    '-Dreactor.netty.http.server.accessLogEnabled=true',
    '-jar', JAR,
    '--spring.profiles.active=demo',
    '--server.address=127.0.0.1',
    `--server.port=${port}`,
    `--tollgate.demo.user-service-port=${userServicePort}`,
    `--tollgate.demo.upstream-port=${upstreamPort}`,
    `--management.server.port=${managementPort}`,
    '--tollgate.access-token.ttl=3s',
    '--tollgate.access-token.clock-skew=0s',
    // one line per request, so that a failing test's output shows what reached the gateway
    '--logging.level.reactor.netty.http.server.AccessLog=INFO',
    ...extraArgs({ origin: `http://localhost:${port}` }),
  ];
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { text: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk) => { output.text += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { output.text += chunk; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // Never leave a gateway behind, whatever happens to this process.
  const killOnExit = () => child.kill('SIGKILL');
  const killOnSignal = (signal) => {
    child.kill('SIGKILL');
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', killOnSignal);
  process.once('SIGTERM', killOnSignal);

  const gateway = {
    port,
    origin: `http://localhost:${port}`,
    /** Everything the gateway printed so far (stdout and stderr). */
    output: () => output.text,
    /**
     * The audit lines (logger `tollgate.audit`) printed so far whose event is `event`. Only the event's name
     * is matched, in whatever form the line gives it (`event=x`, `event="x"`, JSON `"event.action":"x"`), so
     * a change of the audit line's format does not blind these tests.
     */
    auditEvents: (event) => {
      const named = new RegExp(`\\bevent(\\.action)?"?\\s*[=:]\\s*"?${event}(?![\\w.-])`);
      return output.text.split('\n').filter((line) => line.includes('tollgate.audit') && named.test(line));
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      process.removeListener('SIGINT', killOnSignal);
      process.removeListener('SIGTERM', killOnSignal);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  let ended = null;
  exited.then((status) => { ended = status; });
  while (true) {
    if (ended) {
      throw new Error(`gateway exited (${JSON.stringify(ended)}) before it was ready:\n${output.text.slice(-4000)}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/demo/config.json`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) {
        // A fresh JVM serves its first static files slowly (class loading, JIT): load the page's files once
        // so that the browser's first visit is not what times out on a busy machine.
        for (const path of ['/demo/', '/demo/demo.js', '/demo/client/index.js']) {
          await (await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(30_000) })).arrayBuffer();
        }
        return gateway;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await gateway.stop();
      throw new Error(`gateway not ready after ${readyTimeoutMs} ms:\n${output.text.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Connection failures a user can cause (a wrong URL in the target file, an environment that is down, a VPN not
 * connected) as QSL_TARGET_UNREACHABLE naming the part of the target that did not answer, instead of a stack trace.
 */
import type { Target } from '../config/index.js';
import { createError, type HarnessError } from '../errors/index.js';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

interface ConnectionFailure {
  code: string;
  address?: string;
  port?: number;
  hostname?: string;
}

/** The connection failure somewhere in an error's cause chain (fetch wraps it in `cause`, the AWS SDK does not). */
function connectionFailure(e: unknown, depth = 0): ConnectionFailure | null {
  if (!e || typeof e !== 'object' || depth > 4) return null;
  const x = e as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown; cause?: unknown; errors?: unknown };
  if (typeof x.code === 'string' && CONNECTION_CODES.has(x.code)) {
    return {
      code: x.code,
      ...(typeof x.address === 'string' ? { address: x.address } : {}),
      ...(typeof x.port === 'number' ? { port: x.port } : {}),
      ...(typeof x.hostname === 'string' ? { hostname: x.hostname } : {}),
    };
  }
  for (const inner of [x.cause, ...(Array.isArray(x.errors) ? x.errors : [])]) {
    const found = connectionFailure(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

function defaultPort(u: URL): number {
  if (u.port) return Number(u.port);
  return ({ 'https:': 443, 'wss:': 443, 'amqp:': 5672, 'amqps:': 5671 } as Record<string, number>)[u.protocol] ?? 80;
}

/** The parts of a target that are reached over the network, by the name a user knows them by. */
function parts(target: Target): Array<[string, string]> {
  const all: Array<[string, string | undefined]> = [
    ['gateway', target.gateway],
    ['admin API', target.admin],
    ['SQS endpoint', target.sqsEndpoint],
    ['EventBridge endpoint', target.eventbridgeEndpoint],
    ['journal', target.journalUrl],
    ['AMQP broker (legacy bus)', target.legacy?.amqpUrl],
  ];
  return all.filter((p): p is [string, string] => !!p[1]);
}

/** QSL_TARGET_UNREACHABLE naming the part, when `e` is a connection failure; else null. */
export function unreachableError(e: unknown, target: Target): HarnessError | null {
  const c = connectionFailure(e);
  if (!c) return null;
  const match = parts(target).find(([, url]) => {
    const u = new URL(url);
    if (c.hostname) return u.hostname === c.hostname;
    return c.port === defaultPort(u) && (!c.address || c.address === u.hostname || ['localhost', '127.0.0.1', '::1'].includes(u.hostname));
  });
  const where = c.address
    ? ` (${c.code} ${c.address}${c.port ? `:${c.port}` : ''})`
    : c.hostname
      ? ` (${c.code} ${c.hostname})`
      : ` (${c.code})`;
  const part = match ? `the ${match[0]} of target "${target.name}" at ${match[1]}` : `a part of target "${target.name}"`;
  return createError(
    'QSL_TARGET_UNREACHABLE',
    `${part} did not answer${where}. ` +
      (target.sandbox
        ? 'The embedded sandbox stopped answering: check the console above for its error, and that nothing else took its ports.'
        : `Check ${match ? `the ${match[0]} URL` : 'the URLs'} in the target file and that the environment is up (VPN, DNS), or omit --target to use the embedded sandbox.`),
    { cause: e },
  );
}

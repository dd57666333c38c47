/** The sandbox's port layout (gateway n, eventbridge n+1, sqs n+2, admin n+3), checked before anything starts. */
import { createServer } from 'node:net';
import { createError } from '../errors/index.js';

export const SANDBOX_HOST = '127.0.0.1';
/** How many consecutive ports from --port-base the sandbox listens on. */
export const SANDBOX_PORT_COUNT = 4;
const PORT_NAMES = ['gateway', 'eventbridge', 'sqs', 'admin'] as const;

/** 0 (random free ports) or a base whose four ports all fit below 65536. @throws HarnessError QSL_CONFIG_INVALID */
export function checkPortBase(base: number): void {
  if (!Number.isInteger(base) || base < 0 || base > 65536 - SANDBOX_PORT_COUNT) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `--port-base must be 0 (random free ports) or a whole number from 1 to ${65536 - SANDBOX_PORT_COUNT} (the sandbox listens on n to n+${SANDBOX_PORT_COUNT - 1}), got ${String(base)}. ` +
        'Pick another base, or omit --port-base for random free ports.',
    );
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: SANDBOX_HOST, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Every port the sandbox will listen on is free right now. @throws HarnessError QSL_CONFIG_INVALID, QSL_PORT_IN_USE */
export async function assertPortsFree(base: number | undefined): Promise<void> {
  if (base === undefined) return;
  checkPortBase(base);
  if (base === 0) return;
  const taken: string[] = [];
  for (const [i, name] of PORT_NAMES.entries()) {
    if (!(await portFree(base + i))) taken.push(`${base + i} (${name})`);
  }
  if (taken.length) {
    throw createError(
      'QSL_PORT_IN_USE',
      `port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} already in use on ${SANDBOX_HOST}. ` +
        `Choose another --port-base (the sandbox needs n to n+${SANDBOX_PORT_COUNT - 1} free), or omit --port-base for random free ports.`,
    );
  }
}

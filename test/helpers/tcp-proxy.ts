import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy to a real service (RabbitMQ): `cut()` makes the service "go away" for whoever
 * connected through the proxy (every connection reset, new ones refused) without touching the
 * shared broker itself.
 */
export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ port: targetPort, host: targetHost });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.resetAndDestroy();
      await closed;
    },
  };
}

/** The broker the tests use: QSL_TEST_AMQP_URL or a local RabbitMQ (CI starts one). */
export const TEST_AMQP_URL = process.env.QSL_TEST_AMQP_URL ?? 'amqp://127.0.0.1:5672';

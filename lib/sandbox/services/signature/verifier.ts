/**
 * The SignatureService's ML-DSA-44 verifier on its own worker thread. A verify is ~1-1.5 ms of synchronous
 * arithmetic: on the sandbox's main thread it held up every other request for that long, and its measured time
 * (Server-Timing `pqc;dur`) took in the garbage collections of the whole sandbox heap (queues, buses, HTTP) that
 * its allocations triggered. On its own thread the event loop stays free, its heap holds only the verifier's
 * garbage, and a mostly idle thread is scheduled promptly when a request wakes it.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../../workers/index.js';
import type { VerifyRequest, VerifyResponse } from './verify-worker.js';

export interface Verifier {
  /** Verifies one signature; `durationMs` is the verify call alone, timed on the verifier's thread. */
  verify(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): Promise<{ ok: boolean; durationMs: number }>;
  close(): Promise<void>;
}

/** Starts the verifier thread and waits until it has warmed up. */
export async function startVerifier(): Promise<Verifier> {
  const worker: Worker = startTsWorker(new URL('./verify-worker.ts', import.meta.url));
  const pending = new Map<number, { resolve(r: { ok: boolean; durationMs: number }): void; reject(err: Error): void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: VerifyResponse) => {
      if ('ready' in msg) return resolve();
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (pending.size === 0) worker.unref();
      p.resolve({ ok: msg.ok, durationMs: msg.durationMs });
    });
    worker.on('error', (err) => {
      reject(err);
      failAll(err);
    });
    worker.on('exit', (code) => {
      const err = new Error(`signature verifier thread exited with code ${code}`);
      reject(err);
      failAll(err);
    });
  });
  // Keeps the process alive only while a verification is pending (the sandbox's stop() terminates it).
  worker.unref();
  return {
    verify(sig, msg, pk) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (pending.size === 0) worker.ref();
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, sig, msg, pk } satisfies VerifyRequest);
      });
    },
    async close() {
      failure ??= new Error('signature verifier is closed');
      await worker.terminate();
    },
  };
}

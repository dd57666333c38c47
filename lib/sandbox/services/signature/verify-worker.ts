/**
 * Worker-thread entry of the SignatureService's verifier (see verifier.ts): answers `{ id, sig, msg, pk }` with
 * `{ id, ok, durationMs }`, where durationMs is the ML-DSA-44 verify call alone, timed on this thread.
 */
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';

export interface VerifyRequest {
  id: number;
  sig: Uint8Array;
  msg: Uint8Array;
  pk: Uint8Array;
}
export type VerifyResponse = { id: number; ok: boolean; durationMs: number } | { ready: true };

const port = parentPort;
if (!port) throw new Error('verify-worker.ts must be started as a worker thread');

// Warm-up: V8 optimises noble's code over the first few hundred calls, as in a deployed service.
const { publicKey, secretKey } = ml_dsa44.keygen(new Uint8Array(32).fill(7));
const warmMsg = new TextEncoder().encode('qsl signature service warm-up');
const warmSig = ml_dsa44.sign(warmMsg, secretKey);
for (let i = 0; i < 300; i += 1) ml_dsa44.verify(warmSig, warmMsg, publicKey);

port.on('message', (req: VerifyRequest) => {
  const t0 = performance.now();
  let ok: boolean;
  try {
    ok = ml_dsa44.verify(req.sig, req.msg, req.pk);
  } catch {
    ok = false; // malformed lengths
  }
  const durationMs = performance.now() - t0;
  port.postMessage({ id: req.id, ok, durationMs } satisfies VerifyResponse);
});
port.postMessage({ ready: true } satisfies VerifyResponse);

import type { z } from 'zod';
import { HttpError } from './types.js';

/** Validate a request body; a 400 naming each bad field otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const detail = r.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');
  throw new HttpError(400, 'INVALID_REQUEST', detail);
}

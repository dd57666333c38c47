import type { z } from 'zod';

/** One line per problem: the field's path, what was wrong, and what was expected. */
export function describeZodIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.length ? i.path.map(String).join('.') : '(top level)';
    const extra =
      i.code === 'unrecognized_keys' ? ` (${(i as { keys: string[] }).keys.join(', ')}): remove them or fix their spelling` : '';
    return `${path}: ${i.message}${extra}`;
  });
}

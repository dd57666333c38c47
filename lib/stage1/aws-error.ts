/**
 * An AWS call's failure in one line for a Stage 1 line: the error name and the first line of its message, or, when
 * the endpoint answered something that is not an AWS error at all (an emulator's HTML 500 page for an API it does
 * not implement), the HTTP status it answered.
 */
export function errorText(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  const message = (err.message ?? String(e)).split('\n')[0]!;
  if (status && /Deserialization error|XML parse error|Unexpected token|not valid JSON/i.test(err.message ?? ''))
    return `HTTP ${status} that is not an AWS error response`;
  return `${err.name ?? 'Error'}: ${message}${status && status >= 500 ? ` (HTTP ${status})` : ''}`;
}

/**
 * The `security` lines: the plan's weekly "Security scan clean" for what Stage 1 creates. One line per finding:
 * a queue, DLQ or bus policy that lets anyone (`*`) in without a condition; a queue without server-side
 * encryption (SSE-SQS or KMS); a DLQ another service's role may read. No finding: one passing line that says what
 * was scanned.
 */
import { openStatements, parsePolicyDocument } from './policy.js';
import type { QueueFacts, Stage1Inventory, Stage1Row } from './validate.js';

export interface SecurityOptions {
  inventory: Stage1Inventory;
  busName: string;
  /** DLQ -> other services' roles that may read it; absent: roles not known (no stack). */
  dlqReaders?: Map<string, string[]>;
  /** false where the endpoint has no server-side encryption to check (the embedded sandbox's SQS). */
  encryption: boolean;
}

function openFinding(what: string, policy: string | undefined): string | undefined {
  const document = parsePolicyDocument(policy);
  if (!document) return undefined;
  const open = openStatements(document);
  if (!open.length) return undefined;
  const actions = open.flatMap((s) => (s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action]));
  return `${what} lets anyone (*) ${actions.join(', ') || 'act'} without a condition${open[0]?.Sid ? ` (statement ${open[0].Sid})` : ''}`;
}

export function securityRows(opts: SecurityOptions): Stage1Row[] {
  const { inventory } = opts;
  const rows: Stage1Row[] = [];
  const finding = (subject: string, detail: string) => rows.push({ check: 'security', subject, pass: false, detail });
  const busOpen = openFinding('bus policy', inventory.bus?.policy);
  if (busOpen) finding(opts.busName, busOpen);
  const all: QueueFacts[] = [...inventory.queues, ...inventory.dlqs.values()];
  for (const q of all) {
    const open = openFinding('queue policy', q.attributes.Policy);
    if (open) finding(q.name, open);
    if (opts.encryption && q.attributes.SqsManagedSseEnabled !== 'true' && !q.attributes.KmsMasterKeyId)
      finding(q.name, 'no server-side encryption (neither SqsManagedSseEnabled nor KmsMasterKeyId)');
  }
  for (const [dlq, readers] of opts.dlqReaders ?? []) finding(dlq, `DLQ readable by other services' roles: ${readers.join(', ')}`);
  if (rows.length) return rows;
  const scanned = [
    `${all.length} queues and DLQs and the bus: no policy open to * without a condition`,
    opts.encryption ? 'every queue encrypted at rest' : "encryption not checked (the embedded sandbox's SQS has none)",
    opts.dlqReaders ? "no DLQ readable by another service's role" : 'DLQ readers not checked (no stack named: roles unknown)',
  ];
  return [{ check: 'security', subject: 'stage 1', pass: true, detail: scanned.join('; ') }];
}

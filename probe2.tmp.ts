import { openJournal } from './lib/sandbox/journal/index.js';
const j = await openJournal();
await j.write({ eventId: 'a', runId: 'r', path: 'legacy', type: 't', source: 's', occurredAt: 'x', payload: {} });
await j.close();
const h = (process as any)._getActiveHandles(); console.log('handles', h.map((x: any) => x.constructor?.name));

import { it } from 'vitest';
import { LineParser } from '../../lib/results/line-parser.js';
import { generatePoints, toNdjson } from './k6-fixture.js';
it('probe', () => {
  const p = new LineParser(['scenario','name','status','group','method','expected_response','forced']);
  let slow = 0; const orig = (p as any).slow.bind(p); (p as any).slow = (l: string) => { slow++; return orig(l); };
  const text = toNdjson(generatePoints(300));
  let a = 0, n = 0, nl; while ((nl = text.indexOf('\n', a)) !== -1) { p.parse(text, a, nl); n++; a = nl + 1; }
  console.log('lines', n, 'slow', slow);
  const L = String.raw`{"type":"Point","data":{"time":"2026-11-26T15:00:01.123456789+01:00","value":12.3,"tags":{"scenario":"lo\"ad","name":"POST /api/x?a=1\u0026b","status":"201","url":"}"}},"metric":"http_req_duration"}`;
  console.log(p.parse(L, 0, L.length), slow, p.metric, p.vals, p.timeMs, new Date(p.timeMs).toISOString(), p.value);
});

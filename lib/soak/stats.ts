/**
 * What a soak measures, in a shape that survives a crash: plain counters plus HDR histograms, encoded into every
 * checkpoint so a report can be rendered from the last one alone.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

/** Why a client's stream ended when the client did not ask it to. */
export type DisconnectCause = 'server-closed' | 'network-error' | 'http-error';

export function newMsHistogram(): Histogram {
  return build({ bitBucketSize: 32, autoResize: true, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

/** Counters of a soak so far (all clients together). */
export interface SoakCounters {
  /** Events received on the user streams (including duplicates). */
  received: number;
  /** Same event id received again by the same client. */
  duplicates: number;
  /** A stream id lower than one already seen, not a duplicate (a late event filling a gap). */
  outOfOrder: number;
  /** Gaps in a stream's id sequence still open (ids skipped and never received). */
  idGaps: number;
  /** Events the buses carried for a soak user that the user's stream never delivered (after the settle time). */
  missed: number;
  /** Events the buses carried for soak users (the truth the streams are checked against). */
  expected: number;
  disconnects: Record<DisconnectCause, number>;
  reconnects: number;
  heartbeats: number;
  /** Largest gap between heartbeats (or from connect to the first) over every stream, ms. */
  maxHeartbeatGapMs: number;
  /** Clients connected now, and clients that ended the soak disconnected. */
  connected: number;
  /** Events per second over the last checkpoint interval. */
  eventsPerSecond: number;
}

export const emptyCounters = (): SoakCounters => ({
  received: 0,
  duplicates: 0,
  outOfOrder: 0,
  idGaps: 0,
  missed: 0,
  expected: 0,
  disconnects: { 'server-closed': 0, 'network-error': 0, 'http-error': 0 },
  reconnects: 0,
  heartbeats: 0,
  maxHeartbeatGapMs: 0,
  connected: 0,
  eventsPerSecond: 0,
});

/** One checkpoint: written every interval to the run directory, the last one is the soak's record. */
export interface SoakCheckpoint {
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  /** When this checkpoint was written. */
  at: string;
  plannedMs: number;
  elapsedMs: number;
  /** The soak ran its planned duration and settled (the last, final checkpoint). */
  final: boolean;
  clients: number;
  heartbeatMs: number;
  retryMs: number;
  counters: SoakCounters;
  /** Up to 20 examples per kind (missed event ids, duplicates) for the report. */
  samples: { missed: string[]; duplicates: string[] };
  /** HDR histograms (ms), base64-compressed. */
  histograms: { reconnectMs: string; deliveryMs: string };
  /** The harness's own RSS over time (MB), one point per checkpoint. */
  rss: Array<{ t: number; mb: number }>;
}

export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

export function decodeHistogram(s: string): Histogram {
  return decodeFromCompressedBase64(s, 32, false);
}

import { randomUUID } from 'node:crypto';
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { FlaggedService } from '../../config/index.js';
import { RatioGate } from '../faults.js';
import type { FlagStore } from '../flag-store.js';
import type { LegacyBus } from '../legacy-bus/index.js';
import { hashString, seededRandom } from '../../fixtures/index.js';
import { EVENT_CATALOGUE, type EventType, type QslEvent, type TraceContext } from './types.js';

export interface EventPublisherOptions {
  legacy: LegacyBus;
  eventBridge: EventBridgeClient;
  busName: string;
  flags: FlagStore;
  /** Seeds the shadow sampler's phase. */
  seed: number;
  log?: (line: string) => void;
}

export interface PublishCounts {
  legacyPrimary: number;
  eventBridgePrimary: number;
  eventBridgeValidation: number;
  eventBridgeFailures: number;
}

/**
 * The one publisher every service uses (dual publishing). The producing service's flag decides:
 * - `false`      -> legacy only (primary);
 * - `"shadow"`   -> legacy (primary) + a ShadowPercentage sample copied to EventBridge (validation);
 * - `"parallel"` -> legacy (primary) + EventBridge (validation);
 * - `true`       -> EventBridge only (primary).
 * The sample is deterministic: a counter-based gate per producer whose phase comes from the seed.
 */
export class EventPublisher {
  private readonly samplers = new Map<FlaggedService, RatioGate>();
  readonly counts: PublishCounts = {
    legacyPrimary: 0,
    eventBridgePrimary: 0,
    eventBridgeValidation: 0,
    eventBridgeFailures: 0,
  };

  constructor(private readonly opts: EventPublisherOptions) {}

  /**
   * Publish one event. Resolves with the primary copy once every path has accepted it.
   * A failed primary publish rejects; a failed validation copy is logged and counted, never fatal.
   */
  async publish<P extends Record<string, unknown>>(
    producer: FlaggedService,
    type: EventType,
    payload: P,
    trace: TraceContext,
  ): Promise<QslEvent<P>> {
    const mode = this.opts.flags.modeFor(producer);
    const { routingKey, source } = EVENT_CATALOGUE[type];
    const base = {
      eventId: randomUUID(),
      type,
      source,
      runId: trace.runId || 'none',
      correlationId: trace.correlationId,
      occurredAt: new Date().toISOString(),
      payload,
    };
    const toEventBridge = mode === 'eventbridge' || mode === 'parallel' || (mode === 'shadow' && this.sample(producer));

    if (mode === 'eventbridge') {
      const primary: QslEvent<P> = { ...base, metadata: { producer, mode, delivery: 'primary' } };
      await this.putEvent(primary);
      this.counts.eventBridgePrimary += 1;
      return primary;
    }

    const primary: QslEvent<P> = {
      ...base,
      metadata: { producer, mode, delivery: 'primary', ...(toEventBridge ? { sampled: true } : {}) },
    };
    const legacy = this.opts.legacy.publish(routingKey, primary).then(() => {
      this.counts.legacyPrimary += 1;
    });
    const validation = toEventBridge
      ? this.putEvent({ ...base, metadata: { producer, mode, delivery: 'validation' } }).then(
          () => {
            this.counts.eventBridgeValidation += 1;
          },
          (err: unknown) => {
            this.counts.eventBridgeFailures += 1;
            this.opts.log?.(`publisher: validation copy of ${type} ${base.eventId} failed: ${(err as Error).message}`);
          },
        )
      : Promise.resolve();
    await Promise.all([legacy, validation]);
    return primary;
  }

  private sample(producer: FlaggedService): boolean {
    const ratio = this.opts.flags.shadowPercentage() / 100;
    let gate = this.samplers.get(producer);
    if (!gate || gate.ratio !== ratio) {
      gate = new RatioGate(ratio, seededRandom(this.opts.seed ^ hashString(producer))());
      this.samplers.set(producer, gate);
    }
    return gate.next();
  }

  private async putEvent(event: QslEvent): Promise<void> {
    try {
      const out = await this.opts.eventBridge.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: this.opts.busName,
              Source: event.source,
              DetailType: event.type,
              Detail: JSON.stringify(event),
              Time: new Date(event.occurredAt),
            },
          ],
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const entry = out.Entries?.[0];
        throw new Error(`PutEvents rejected ${event.type}: ${entry?.ErrorCode ?? '?'} ${entry?.ErrorMessage ?? ''}`.trim());
      }
    } catch (err) {
      if (event.metadata.delivery === 'primary') this.counts.eventBridgeFailures += 1;
      throw err;
    }
  }
}

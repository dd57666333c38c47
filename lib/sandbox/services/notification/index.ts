import { randomUUID } from 'node:crypto';
import type { EventType, QslEvent } from '../../events/types.js';
import { faultRatio, RatioGate } from '../../faults.js';
import { ConsumingService } from '../consuming-service.js';
import type { ServiceRegistry } from '../registry.js';
import type { HttpRoute, ServiceContext } from '../types.js';

export interface DeliveredNotification {
  id: string;
  /** The source event's type (`UserSignedUp`, `UserProfileUpdated`). */
  type: EventType;
  /** The source event's id. */
  eventId: string;
  userId: string;
  runId: string;
  createdAt: string;
}

export const NOTIFICATION_QUEUE = 'qsl-notification';
const NOTIFIED_TYPES: ReadonlySet<string> = new Set(['UserSignedUp', 'UserProfileUpdated']);

/**
 * NotificationService: one notification per UserSignedUp / UserProfileUpdated, then NotificationDelivered.
 * Fault `notification.drop` loses a deterministic fraction: not recorded, the event still acknowledged.
 */
export class NotificationService extends ConsumingService {
  private readonly bySourceEvent = new Map<string, DeliveredNotification>();
  private readonly byUser = new Map<string, DeliveredNotification[]>();
  private readonly byRun = new Map<string, DeliveredNotification[]>();
  private readonly drop: RatioGate;
  readonly routes: readonly HttpRoute[];
  /** Notifications lost to `notification.drop`. */
  dropped = 0;

  constructor(private readonly ctx: ServiceContext) {
    super(ctx, {
      name: 'notification',
      queue: NOTIFICATION_QUEUE,
      legacyBindings: ['user.signed_up', 'user.profile_updated'],
      handle: (e) => this.onEvent(e),
    });
    this.drop = new RatioGate(faultRatio(ctx.faults, 'notification.drop'));
    this.routes = [
      {
        method: 'GET',
        url: '/api/users/me/notifications',
        auth: true,
        handler: (r) => ({
          status: 200,
          body: {
            notifications: (this.byUser.get(r.userId) ?? []).map(({ id, type, eventId, createdAt }) => ({
              id,
              type,
              eventId,
              createdAt,
            })),
          },
        }),
      },
    ];
  }

  /** Notifications recorded for `runId` (all runs when undefined). */
  delivered(runId?: string): DeliveredNotification[] {
    if (runId !== undefined) return [...(this.byRun.get(runId) ?? [])];
    return [...this.byRun.values()].flat();
  }

  private async onEvent(event: QslEvent): Promise<void> {
    if (!NOTIFIED_TYPES.has(event.type)) return;
    let n = this.bySourceEvent.get(event.eventId);
    if (!n) {
      if (this.drop.next()) {
        this.dropped += 1;
        this.ctx.log(`notification: dropped ${event.type} ${event.eventId} (fault notification.drop)`);
        return;
      }
      n = {
        id: randomUUID(),
        type: event.type,
        eventId: event.eventId,
        userId: String(event.payload.userId),
        runId: event.runId,
        createdAt: new Date().toISOString(),
      };
      this.bySourceEvent.set(event.eventId, n);
      push(this.byUser, n.userId, n);
      push(this.byRun, n.runId, n);
    }
    // Recorded before publishing, so a retry after a failed publish only republishes.
    await this.ctx.publisher.publish(
      'NotificationService',
      'NotificationDelivered',
      { notificationId: n.id, userId: n.userId, sourceEventId: n.eventId, sourceType: n.type },
      { runId: event.runId, correlationId: event.correlationId },
    );
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function createNotificationService(ctx: ServiceContext, _registry: ServiceRegistry): NotificationService {
  return new NotificationService(ctx);
}

import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { EventType, QslEvent, TraceContext } from '../../events/types.js';
import { ConsumingService } from '../consuming-service.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type Authenticator, type HttpRoute, type ServiceContext } from '../types.js';
import { parseBody } from '../validate.js';

export interface UserProfile {
  displayName?: string;
  phone?: string;
}

interface User {
  userId: string;
  email: string;
  name: string;
  salt: Buffer;
  passwordHash: Buffer;
  profile: UserProfile;
  createdAt: string;
  /** NotificationDelivered events seen for this user. */
  notificationsDelivered: number;
}

/** A user event this service emitted: what the notification service is expected to deliver. */
export interface EmittedUserEvent {
  eventId: string;
  userId: string;
  type: EventType;
  runId: string;
}

const signupSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[^@\s]+@[^@\s]+$/, 'expected an email address'),
  name: z.string().min(1),
  password: z.string().min(1),
});
const loginSchema = z.object({ email: z.string().trim().toLowerCase(), password: z.string() });
const profileSchema = z.object({ displayName: z.string().min(1), phone: z.string().optional() });

// Low scrypt cost: this is a load-test sandbox, the hash only has to be a real one. Asynchronous (libuv's thread
// pool): a synchronous hash held the event loop for 3-8 ms per sign-up and login, and every request queued behind it.
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number }) => Promise<Buffer>;
const hash = (password: string, salt: Buffer) => scryptAsync(password, salt, 32, { N: 1024 });

export const USER_QUEUE = 'qsl-user';

/** UserService: signup, login (bearer tokens), profile updates; consumes NotificationDelivered. */
export class UserService extends ConsumingService implements Authenticator {
  private readonly users = new Map<string, User>();
  private readonly byEmail = new Map<string, string>();
  private readonly tokens = new Map<string, string>();
  private readonly closed = new Set<string>();
  private readonly emitted = new Map<string, EmittedUserEvent[]>();
  readonly routes: readonly HttpRoute[];

  constructor(private readonly ctx: ServiceContext) {
    super(ctx, { name: 'user', queue: USER_QUEUE, legacyBindings: ['notification.delivered'], handle: (e) => this.onEvent(e) });
    this.routes = [
      { method: 'POST', url: '/api/users/signup', handler: (r) => this.signup(r.body, r.trace) },
      { method: 'POST', url: '/api/users/login', handler: (r) => this.login(r.body) },
      { method: 'PUT', url: '/api/users/me/profile', auth: true, handler: (r) => this.updateProfile(r.userId, r.body, r.trace) },
      // MVP 4's user lifecycle ends with closure: tokens revoked, login refused, UserClosed published.
      { method: 'DELETE', url: '/api/users/me', auth: true, handler: (r) => this.close(r.userId, r.trace) },
    ];
  }

  authenticate(token: string): string | undefined {
    return this.tokens.get(token);
  }

  /** UserSignedUp / UserProfileUpdated events emitted for `runId` (all runs when undefined). */
  emittedEvents(runId?: string): EmittedUserEvent[] {
    if (runId !== undefined) return [...(this.emitted.get(runId) ?? [])];
    return [...this.emitted.values()].flat();
  }

  notificationsDeliveredTo(userId: string): number {
    return this.users.get(userId)?.notificationsDelivered ?? 0;
  }

  private async signup(body: unknown, trace: TraceContext) {
    const { email, name, password } = parseBody(signupSchema, body);
    if (this.byEmail.has(email)) throw new HttpError(409, 'EMAIL_TAKEN', `a user with email ${email} already exists`);
    const userId = randomUUID();
    // Claimed before the hash is awaited, so a concurrent sign-up with the same email gets its 409.
    this.byEmail.set(email, userId);
    const salt = randomBytes(16);
    let passwordHash: Buffer;
    try {
      passwordHash = await hash(password, salt);
    } catch (err) {
      this.byEmail.delete(email);
      throw err;
    }
    const user: User = {
      userId,
      email,
      name,
      salt,
      passwordHash,
      profile: {},
      createdAt: new Date().toISOString(),
      notificationsDelivered: 0,
    };
    this.users.set(user.userId, user);
    try {
      const event = await this.ctx.publisher.publish('UserService', 'UserSignedUp', { userId: user.userId, email, name }, trace);
      this.recordEmitted(event, user.userId);
    } catch (err) {
      // No event, no user: the signup did not happen.
      this.users.delete(user.userId);
      this.byEmail.delete(email);
      throw new HttpError(503, 'EVENT_PUBLISH_FAILED', `UserSignedUp could not be published: ${(err as Error).message}`);
    }
    return { status: 201, body: { userId: user.userId } };
  }

  private async close(userId: string, trace: TraceContext) {
    const user = this.users.get(userId);
    if (!user) throw new HttpError(404, 'USER_NOT_FOUND', `user ${userId} does not exist`);
    this.closed.add(userId);
    for (const [token, owner] of this.tokens) if (owner === userId) this.tokens.delete(token);
    await this.ctx.publisher.publish('UserService', 'UserClosed', { userId }, trace);
    return { status: 200, body: { userId, status: 'closed' } };
  }

  private async login(body: unknown) {
    const { email, password } = parseBody(loginSchema, body);
    const user = this.users.get(this.byEmail.get(email) ?? '');
    if (user && this.closed.has(user.userId)) throw new HttpError(403, 'USER_CLOSED', 'this user was closed');
    if (!user || !timingSafeEqual(await hash(password, user.salt), user.passwordHash)) {
      throw new HttpError(401, 'BAD_CREDENTIALS', 'email or password is wrong');
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, user.userId);
    return { status: 200, body: { token } };
  }

  private async updateProfile(userId: string, body: unknown, trace: TraceContext) {
    const input = parseBody(profileSchema, body);
    const user = this.users.get(userId);
    if (!user) throw new HttpError(404, 'USER_NOT_FOUND', `user ${userId} does not exist`);
    const previous = user.profile;
    user.profile = { displayName: input.displayName, ...(input.phone !== undefined ? { phone: input.phone } : {}) };
    try {
      const event = await this.ctx.publisher.publish('UserService', 'UserProfileUpdated', { userId, profile: user.profile }, trace);
      this.recordEmitted(event, userId);
    } catch (err) {
      user.profile = previous;
      throw new HttpError(503, 'EVENT_PUBLISH_FAILED', `UserProfileUpdated could not be published: ${(err as Error).message}`);
    }
    return { status: 200, body: { userId, profile: user.profile } };
  }

  private recordEmitted(event: QslEvent, userId: string): void {
    const list = this.emitted.get(event.runId) ?? [];
    list.push({ eventId: event.eventId, userId, type: event.type, runId: event.runId });
    this.emitted.set(event.runId, list);
  }

  private async onEvent(event: QslEvent): Promise<void> {
    if (event.type !== 'NotificationDelivered') return;
    const user = this.users.get(String(event.payload.userId));
    if (user) user.notificationsDelivered += 1;
  }
}

export function createUserService(ctx: ServiceContext, _registry: ServiceRegistry): UserService {
  return new UserService(ctx);
}

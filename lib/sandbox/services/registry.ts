import { createNotificationService } from './notification/index.js';
import { createOrchestrationService } from './orchestration/index.js';
import { faultOn, type FaultSet } from '../faults.js';
import type { ServiceContext, ServiceHealth, ServiceModule } from './types.js';
import { createUserService } from './user/index.js';

export type ServiceFactory = (ctx: ServiceContext, registry: ServiceRegistry) => ServiceModule;

/** MVP 1's services in start order. Later milestones append factories (ledger, treasury, ...). */
export const MVP1_SERVICES: readonly ServiceFactory[] = [createUserService, createNotificationService, createOrchestrationService];

/** The running service modules, by name. */
export class ServiceRegistry {
  private readonly modules = new Map<string, ServiceModule>();

  /** `faults`: `<service>.down` makes that service's health read down. */
  constructor(private readonly faults: FaultSet = {}) {}

  add(module: ServiceModule): void {
    if (this.modules.has(module.name)) throw new Error(`service ${module.name} registered twice`);
    this.modules.set(module.name, module);
  }

  /** The module named `name`, typed by the caller. @throws when absent */
  get<T extends ServiceModule>(name: string): T {
    const m = this.modules.get(name);
    if (!m) throw new Error(`service ${name} is not registered`);
    return m as T;
  }

  all(): ServiceModule[] {
    return [...this.modules.values()];
  }

  /** `{ gateway: 'up', user: 'up', ... }` from each module's health(). */
  health(): Record<string, ServiceHealth> {
    const out: Record<string, ServiceHealth> = {};
    for (const m of this.modules.values()) {
      let h: ServiceHealth = 'down';
      try {
        h = faultOn(this.faults, `${m.name}.down`) ? 'down' : m.health();
      } catch {
        // A health() that throws means down.
      }
      out[m.name] = h;
    }
    return out;
  }
}

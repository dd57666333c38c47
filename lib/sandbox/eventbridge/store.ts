/** In-memory state of the emulator: event buses, their rules, the rules' targets. */
import { ResourceAlreadyExistsError, ResourceNotFoundError, ValidationError } from './errors.js';
import type { EventBus, Rule } from './types.js';

export const DEFAULT_BUS = 'default';

export class EventBridgeStore {
  private readonly buses = new Map<string, EventBus>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {
    this.createBus(DEFAULT_BUS);
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:event-bus/${name}`;
  }

  ruleArn(busName: string, ruleName: string): string {
    const path = busName === DEFAULT_BUS ? ruleName : `${busName}/${ruleName}`;
    return `arn:aws:events:${this.region}:${this.accountId}:rule/${path}`;
  }

  createBus(name: string, description?: string): EventBus {
    if (this.buses.has(name)) throw new ResourceAlreadyExistsError(`Event bus ${name} already exists.`);
    const now = Math.floor(Date.now() / 1000);
    const bus: EventBus = { name, arn: this.busArn(name), description, creationTime: now, lastModifiedTime: now, rules: new Map() };
    this.buses.set(name, bus);
    return bus;
  }

  /** Accepts a bus name or a bus ARN; `undefined` means the default bus. */
  findBus(nameOrArn: string | undefined): EventBus | undefined {
    const name = busNameOf(nameOrArn ?? DEFAULT_BUS);
    return this.buses.get(name);
  }

  getBus(nameOrArn: string | undefined): EventBus {
    const bus = this.findBus(nameOrArn);
    if (!bus) throw new ResourceNotFoundError(`Event bus ${busNameOf(nameOrArn ?? DEFAULT_BUS)} does not exist.`);
    return bus;
  }

  listBuses(): EventBus[] {
    return [...this.buses.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  deleteBus(nameOrArn: string): void {
    const name = busNameOf(nameOrArn);
    if (name === DEFAULT_BUS) throw new ValidationError('Cannot delete event bus default.');
    this.buses.delete(name);
  }

  getRule(busNameOrArn: string | undefined, ruleName: string): Rule {
    const bus = this.getBus(busNameOrArn);
    const rule = bus.rules.get(ruleName);
    if (!rule) throw new ResourceNotFoundError(`Rule ${ruleName} does not exist on EventBus ${bus.name}.`);
    return rule;
  }
}

/** `arn:aws:events:<region>:<account>:event-bus/<name>` -> `<name>`; a plain name is returned as is. */
export function busNameOf(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const m = /^arn:aws[\w-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  if (!m)
    throw new ValidationError(`${nameOrArn} is not a valid event bus ARN; expected arn:aws:events:<region>:<account>:event-bus/<name>`);
  return m[1];
}

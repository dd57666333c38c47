/** Shared types of the EventBridge emulator. */
import type { ParsedPattern } from './pattern-matcher.js';

/** The event as EventBridge hands it to targets and as patterns see it. */
export interface EventEnvelope {
  version: '0';
  /** UUID; every target of one PutEvents entry receives the same id. */
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 at second precision: `YYYY-MM-DDTHH:MM:SSZ`. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** A target as PutTargets stores it (AWS field names, since ListTargetsByRule returns it verbatim). */
export interface Target {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  SqsParameters?: { MessageGroupId?: string };
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface Rule {
  name: string;
  arn: string;
  eventBusName: string;
  pattern?: ParsedPattern;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  targets: Map<string, Target>;
}

export interface EventBus {
  name: string;
  arn: string;
  description?: string;
  /** Epoch seconds. */
  creationTime: number;
  /** Epoch seconds. */
  lastModifiedTime: number;
  rules: Map<string, Rule>;
}

/** JSON request body of an action, as sent by the SDK. */
export type ActionInput = Record<string, unknown>;

/** What every action receives besides its input. */
export interface ActionContext {
  store: import('./store.js').EventBridgeStore;
  delivery: import('./delivery.js').DeliveryEngine;
}

/** One API action: validate input, look up, throw a typed error, act; return the JSON response. */
export type Action = (input: ActionInput, ctx: ActionContext) => unknown;

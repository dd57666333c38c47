import { join } from 'node:path';
import { loadFeatureFlags } from '../config/index.js';
import type { Target } from '../config/index.js';
import {
  AUDIT_QUEUE,
  buildSandbox,
  MVP1_TOPOLOGY,
  type FaultSet,
  type Sandbox,
  type SandboxOptions,
  type ServiceFactory,
  type Topology,
} from '../sandbox/index.js';

/** Starts the embedded sandbox with the milestone's flags and the run's faults, and describes it as a target. */
export async function startSandboxTarget(opts: {
  projectRoot: string;
  flagsFile: string;
  faults: FaultSet;
  seed: number;
  portBase?: number;
  topology?: Topology;
  services?: readonly ServiceFactory[];
  /** The legacy bus: in process (default) or RabbitMQ. */
  legacy?: SandboxOptions['legacy'];
  log: (line: string) => void;
}): Promise<{ sandbox: Sandbox; target: Target }> {
  const flags = await loadFeatureFlags(join(opts.projectRoot, opts.flagsFile));
  const topology = opts.topology ?? MVP1_TOPOLOGY;
  const sandbox = await buildSandbox({
    faults: opts.faults,
    flags,
    seed: opts.seed,
    portBase: opts.portBase,
    topology,
    services: opts.services,
    ...(opts.legacy ? { legacy: opts.legacy } : {}),
    log: opts.log,
  });
  const e = sandbox.endpoints;
  return {
    sandbox,
    target: {
      name: 'sandbox',
      environment: 'sandbox',
      sandbox: true,
      gateway: e.gateway,
      admin: e.admin,
      region: e.region,
      eventbridgeEndpoint: e.eventbridge,
      sqsEndpoint: e.sqs,
      eventBus: topology.busName,
      serviceQueues: topology.queues.map((q) => q.name).filter((n) => n !== AUDIT_QUEUE),
      ...(e.legacy ? { legacy: e.legacy } : {}),
      rollback: { sandbox: true },
      restore: { sandbox: true },
      forcedFailure: { header: 'X-Force-Failure' },
    },
  };
}

/**
 * MVP 3 "Blockchain Integration" on the embedded sandbox: MVP 1's platform plus the seed's Stage 4 services
 * (InfrastructureService, TokenService, SignatureService) and the EventJournaler on SurrealDB, with the journal's
 * own EventBridge rule and queue.
 */
import { createSignatureService } from './services/signature/index.js';
import { eventJournalerFactory, JOURNAL_QUEUE, type JournalerOptions } from './services/journaler/index.js';
import { infrastructureServiceFactory } from './services/infrastructure/index.js';
import { MVP1_SERVICES, type ServiceFactory } from './services/registry.js';
import { createTokenService } from './services/token/index.js';
import { consumerOf, MVP1_TOPOLOGY, withConsumers, type Topology } from './topology.js';

/** MVP 1's topology plus the journal's rule: every qsl.* event to `qsl-journal`. */
export const MVP3_TOPOLOGY: Topology = withConsumers(
  MVP1_TOPOLOGY,
  consumerOf('journaler', JOURNAL_QUEUE, { source: [{ prefix: 'qsl.' }] }),
);

export interface Mvp3ServiceOptions {
  /** Network ids (default: the six defaults). */
  networks?: readonly string[];
  /** The journal: embedded unless a SurrealDB server URL is given. */
  journal?: JournalerOptions;
}

/** MVP 1's services, then Infrastructure, Token, Signature and the EventJournaler (start order). */
export function mvp3Services(opts: Mvp3ServiceOptions = {}): readonly ServiceFactory[] {
  return [
    ...MVP1_SERVICES,
    infrastructureServiceFactory(opts.networks),
    createTokenService,
    createSignatureService,
    eventJournalerFactory(opts.journal),
  ];
}

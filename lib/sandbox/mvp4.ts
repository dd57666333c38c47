/**
 * MVP 4 "Full Platform" on the embedded sandbox: MVP 2's payment platform and MVP 3's blockchain services, plus the
 * seed's Stage 5 business services (Marketplace, Compliance, AI review, Governance) and Stage 6's Mobile, Web and
 * Admin API gateways with Server-Sent Events, each consuming service with its own queue and rule.
 */
import { createAIReviewService } from './services/aireview/index.js';
import { COMPLIANCE_QUEUE, createComplianceService } from './services/compliance/index.js';
import { createGovernanceService, GOVERNANCE_QUEUE } from './services/governance/index.js';
import { infrastructureServiceFactory } from './services/infrastructure/index.js';
import { createMarketplaceService, MARKETPLACE_QUEUE } from './services/marketplace/index.js';
import type { ServiceFactory } from './services/registry.js';
import { createSignatureService } from './services/signature/index.js';
import { SSE_QUEUE, sseGatewayFactories, type SseHubOptions } from './services/sse-gateway/index.js';
import { createTokenService } from './services/token/index.js';
import { MVP2_SERVICES, MVP2_TOPOLOGY } from './mvp2.js';
import { consumerOf, withConsumers, type Topology } from './topology.js';

export const MVP4_TOPOLOGY: Topology = withConsumers(
  MVP2_TOPOLOGY,
  consumerOf('marketplace', MARKETPLACE_QUEUE, { source: ['qsl.payment'], 'detail-type': ['PaymentConfirmed', 'PaymentCompensated'] }),
  consumerOf('compliance', COMPLIANCE_QUEUE, { source: ['qsl.compliance'], 'detail-type': ['ComplianceDecided'] }),
  consumerOf('governance', GOVERNANCE_QUEUE, { source: ['qsl.governance'], 'detail-type': ['VoteCast'] }),
  // The API gateways' SSE hub sees every platform event.
  consumerOf('sse-hub', SSE_QUEUE, { source: [{ prefix: 'qsl.' }] }),
);

export interface Mvp4ServiceOptions {
  sse?: SseHubOptions;
}

/** MVP 2's services, MVP 3's blockchain services (no journal), the Stage 5 services, then the gateways' SSE hub. */
export function mvp4Services(opts: Mvp4ServiceOptions = {}): readonly ServiceFactory[] {
  return [
    ...MVP2_SERVICES,
    infrastructureServiceFactory(),
    createTokenService,
    createSignatureService,
    createMarketplaceService,
    createComplianceService,
    createAIReviewService,
    createGovernanceService,
    ...sseGatewayFactories(opts.sse),
  ];
}

export { SSE_PATHS, SSE_HEARTBEAT_MS, SSE_RETRY_MS, namedUsers } from './services/sse-gateway/index.js';

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { QslEvent, TraceContext } from '../../events/types.js';
import { ConsumingService } from '../consuming-service.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext } from '../types.js';
import { parseBody } from '../validate.js';
import { Waiters } from '../waiters.js';

export const GOVERNANCE_QUEUE = 'qsl-governance';

const proposalSchema = z.object({ title: z.string().min(1).max(200), options: z.array(z.string().min(1).max(100)).min(2).max(10) });
const voteSchema = z.object({ option: z.string().min(1) });
const readSchema = z.object({ wait: z.coerce.number().min(0).max(10).default(0) });

interface Proposal {
  proposalId: string;
  authorId: string;
  title: string;
  options: string[];
  runId: string;
  /** The service's own store: every vote, by voter ("the database"). */
  votes: Map<string, string>;
  /** The read model built from VoteCast events on the bus. */
  tally: Map<string, number>;
  tallied: Set<string>;
}

/**
 * GovernanceService (seed Stage 5): proposals and one vote per user. Votes are stored by the service and published
 * as VoteCast; the tallies are a read model built from the VoteCast events the bus delivers back. Rollback strategy
 * "database fallback": when the bus path is off (GovernanceService flag false) or the read model has not caught up
 * within the request's `wait`, the tally is read from the service's own store and says `source: "database"`.
 */
export class GovernanceService extends ConsumingService {
  readonly routes: readonly HttpRoute[];
  private readonly proposals = new Map<string, Proposal>();
  private readonly waiters = new Waiters();

  constructor(private readonly ctx: ServiceContext) {
    super(ctx, { name: 'governance', queue: GOVERNANCE_QUEUE, legacyBindings: ['governance.vote_cast'], handle: (e) => this.onVote(e) });
    this.routes = [
      { method: 'POST', url: '/api/governance/proposals', auth: true, handler: (r) => this.propose(r.userId, r.body, r.trace) },
      {
        method: 'POST',
        url: '/api/governance/proposals/:id/votes',
        auth: true,
        handler: (r) => this.vote(r.userId, r.params.id, r.body, r.trace),
      },
      { method: 'GET', url: '/api/governance/proposals/:id', auth: true, handler: (r) => this.read(r.params.id, r.query) },
    ];
  }

  private proposal(id: string): Proposal {
    const p = this.proposals.get(id);
    if (!p) throw new HttpError(404, 'PROPOSAL_NOT_FOUND', `proposal ${id} not found`);
    return p;
  }

  private async propose(authorId: string, body: unknown, trace: TraceContext) {
    const b = parseBody(proposalSchema, body);
    const p: Proposal = {
      proposalId: randomUUID(),
      authorId,
      title: b.title,
      options: b.options,
      runId: trace.runId,
      votes: new Map(),
      tally: new Map(),
      tallied: new Set(),
    };
    this.proposals.set(p.proposalId, p);
    await this.ctx.publisher.publish(
      'GovernanceService',
      'ProposalCreated',
      { proposalId: p.proposalId, authorId, options: p.options },
      trace,
    );
    return { status: 201, body: { proposalId: p.proposalId, title: p.title, options: p.options } };
  }

  private async vote(voterId: string, id: string, body: unknown, trace: TraceContext) {
    const p = this.proposal(id);
    const { option } = parseBody(voteSchema, body);
    if (!p.options.includes(option)) throw new HttpError(400, 'INVALID_REQUEST', `option: expected one of ${p.options.join(', ')}`);
    if (p.votes.has(voterId)) throw new HttpError(409, 'ALREADY_VOTED', 'one vote per user and proposal');
    p.votes.set(voterId, option);
    await this.ctx.publisher.publish('GovernanceService', 'VoteCast', { proposalId: p.proposalId, voterId, option }, trace);
    return { status: 201, body: { proposalId: p.proposalId, option } };
  }

  private async read(id: string, query: Record<string, string | undefined>) {
    const p = this.proposal(id);
    const { wait } = parseBody(readSchema, query);
    const busOn = this.ctx.flags.modeFor('GovernanceService') !== 'legacy';
    if (busOn && wait > 0 && p.tallied.size < p.votes.size) await this.until(p, wait * 1000);
    const fromReadModel = busOn && p.tallied.size >= p.votes.size;
    const counts = new Map<string, number>();
    if (fromReadModel) for (const [o, n] of p.tally) counts.set(o, n);
    else for (const o of p.votes.values()) counts.set(o, (counts.get(o) ?? 0) + 1);
    return {
      status: 200,
      body: {
        proposalId: p.proposalId,
        title: p.title,
        votes: p.votes.size,
        tally: Object.fromEntries(p.options.map((o) => [o, counts.get(o) ?? 0])),
        source: fromReadModel ? 'events' : 'database',
      },
    };
  }

  private async onVote(e: QslEvent): Promise<void> {
    if (e.type !== 'VoteCast') return;
    const p = this.proposals.get(String(e.payload.proposalId));
    const voter = String(e.payload.voterId);
    if (!p || p.tallied.has(voter)) return;
    p.tallied.add(voter);
    const option = String(e.payload.option);
    p.tally.set(option, (p.tally.get(option) ?? 0) + 1);
    if (p.tallied.size >= p.votes.size) {
      this.waiters.wake(p.proposalId);
    }
  }

  private until(p: Proposal, ms: number): Promise<void> {
    return this.waiters.until(p.proposalId, ms);
  }

  override async stop(): Promise<void> {
    this.waiters.wakeAll();
    await super.stop();
  }
}

export function createGovernanceService(ctx: ServiceContext, _registry: ServiceRegistry): GovernanceService {
  return new GovernanceService(ctx);
}

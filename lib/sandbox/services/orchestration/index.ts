import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { QslEvent, TraceContext } from '../../events/types.js';
import { faultOn } from '../../faults.js';
import { ConsumingService } from '../consuming-service.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext } from '../types.js';
import { parseBody } from '../validate.js';

export type WorkflowStatus = 'created' | 'executing' | 'completed' | 'failed';

export interface WorkflowStep {
  name: string;
  status: 'completed';
  completedAt: string;
}

export interface Workflow {
  workflowId: string;
  userId: string;
  type: string;
  input: unknown;
  status: WorkflowStatus;
  steps: WorkflowStep[];
  createdAt: string;
  completedAt?: string;
}

export const ORCHESTRATION_QUEUE = 'qsl-orchestration';
const DEFAULT_STEPS = ['validate', 'execute', 'finalize'];

const createSchema = z.object({ type: z.string().min(1), input: z.unknown().optional() });

/**
 * OrchestrationService: workflows created over HTTP and run through events. Execute publishes
 * WorkflowExecutionRequested; this service's consumer runs the steps (WorkflowStepCompleted each) and publishes
 * WorkflowCompleted, whose consumption sets the status to completed.
 */
export class OrchestrationService extends ConsumingService {
  private readonly workflows = new Map<string, Workflow>();
  readonly routes: readonly HttpRoute[];

  constructor(private readonly ctx: ServiceContext) {
    super(ctx, {
      name: 'orchestration',
      queue: ORCHESTRATION_QUEUE,
      legacyBindings: ['workflow.execution_requested', 'workflow.completed'],
      handle: (e) => this.onEvent(e),
    });
    this.routes = [
      { method: 'POST', url: '/api/workflows', auth: true, handler: (r) => this.create(r.userId, r.body, r.trace) },
      {
        method: 'POST',
        url: '/api/workflows/:id/execute',
        auth: true,
        handler: (r) => this.execute(r.userId, r.params.id, r.trace),
      },
      {
        method: 'GET',
        url: '/api/workflows/:id',
        auth: true,
        handler: (r) => ({ status: 200, body: view(this.owned(r.userId, r.params.id)) }),
      },
    ];
  }

  private owned(userId: string, workflowId: string): Workflow {
    const wf = this.workflows.get(workflowId);
    if (!wf || wf.userId !== userId) throw new HttpError(404, 'WORKFLOW_NOT_FOUND', `workflow ${workflowId} not found`);
    return wf;
  }

  private async create(userId: string, body: unknown, trace: TraceContext) {
    const { type, input } = parseBody(createSchema, body);
    const wf: Workflow = {
      workflowId: randomUUID(),
      userId,
      type,
      input: input ?? {},
      status: 'created',
      steps: [],
      createdAt: new Date().toISOString(),
    };
    this.workflows.set(wf.workflowId, wf);
    await this.ctx.publisher.publish('OrchestrationService', 'WorkflowCreated', { workflowId: wf.workflowId, userId, type }, trace);
    return { status: 201, body: { workflowId: wf.workflowId, status: wf.status } };
  }

  private async execute(userId: string, workflowId: string, trace: TraceContext) {
    const wf = this.owned(userId, workflowId);
    if (wf.status !== 'created') {
      throw new HttpError(
        409,
        'WORKFLOW_NOT_EXECUTABLE',
        `workflow ${workflowId} is ${wf.status}; only a created workflow can be executed`,
      );
    }
    wf.status = 'executing';
    try {
      await this.ctx.publisher.publish('OrchestrationService', 'WorkflowExecutionRequested', { workflowId, userId }, trace);
    } catch (err) {
      wf.status = 'created';
      throw new HttpError(503, 'EVENT_PUBLISH_FAILED', `WorkflowExecutionRequested could not be published: ${(err as Error).message}`);
    }
    return { status: 202, body: { workflowId, status: wf.status } };
  }

  private async onEvent(event: QslEvent): Promise<void> {
    const wf = this.workflows.get(String(event.payload.workflowId));
    if (!wf) {
      this.ctx.log(`orchestration: ${event.type} for unknown workflow ${String(event.payload.workflowId)} ignored`);
      return;
    }
    const trace = { runId: event.runId, correlationId: event.correlationId };
    if (event.type === 'WorkflowExecutionRequested') {
      if (wf.status !== 'executing') return;
      // Fault orchestration.stall: the request was accepted and answered; the work never happens.
      if (faultOn(this.ctx.faults, 'orchestration.stall')) return;
      const names = stepNames(wf.input);
      for (let i = wf.steps.length; i < names.length; i += 1) {
        const step: WorkflowStep = { name: names[i], status: 'completed', completedAt: new Date().toISOString() };
        await this.ctx.publisher.publish(
          'OrchestrationService',
          'WorkflowStepCompleted',
          { workflowId: wf.workflowId, step: step.name, index: i },
          trace,
        );
        wf.steps.push(step);
      }
      await this.ctx.publisher.publish(
        'OrchestrationService',
        'WorkflowCompleted',
        { workflowId: wf.workflowId, steps: wf.steps.length },
        trace,
      );
    } else if (event.type === 'WorkflowCompleted') {
      if (wf.status === 'completed') return;
      wf.status = 'completed';
      wf.completedAt = new Date().toISOString();
    }
  }
}

/** `input.steps` when it is a list of names, else the default three steps. */
function stepNames(input: unknown): string[] {
  const steps = (input as { steps?: unknown } | null)?.steps;
  return Array.isArray(steps) && steps.length > 0 && steps.every((s) => typeof s === 'string') ? steps : DEFAULT_STEPS;
}

function view(wf: Workflow) {
  return {
    workflowId: wf.workflowId,
    type: wf.type,
    status: wf.status,
    steps: wf.steps,
    createdAt: wf.createdAt,
    ...(wf.completedAt ? { completedAt: wf.completedAt } : {}),
  };
}

export function createOrchestrationService(ctx: ServiceContext, _registry: ServiceRegistry): OrchestrationService {
  return new OrchestrationService(ctx);
}

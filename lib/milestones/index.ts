import { createError } from '../errors/index.js';
import { mvp1 } from './mvp1.js';
import { mvp2 } from './mvp2.js';
import { mvp3 } from './mvp3.js';
import { mvp4, mvp4Soak } from './mvp4.js';
import type { MilestoneDefinition } from './types.js';

export type {
  DataDir,
  K6DataContext,
  MilestoneDefinition,
  MilestoneSession,
  MilestoneContext,
  PhaseRequest,
  PhaseRun,
  Profile,
} from './types.js';

/** Every milestone the harness can run; later milestones register here. */
export const MILESTONES: Readonly<Record<string, MilestoneDefinition>> = {
  mvp1,
  mvp2,
  mvp3,
  mvp4,
};

/** Runs that judge part of a milestone (`npm run soak`: MVP 4's soak alone); run and re-rendered like milestones. */
const PARTS: Readonly<Record<string, MilestoneDefinition>> = { 'mvp4-soak': mvp4Soak };

/** In the seed, not built yet: said plainly rather than "unknown". */
const PLANNED: Readonly<Record<string, string>> = {};

export function getMilestone(id: string): MilestoneDefinition {
  const m = MILESTONES[id] ?? PARTS[id];
  if (!m && PLANNED[id]) {
    throw createError(
      'QSL_UNKNOWN_MILESTONE',
      `${PLANNED[id]} is planned but not built into the harness yet. Available now: ${Object.keys(MILESTONES).join(', ')}.`,
    );
  }
  if (!m) {
    throw createError(
      'QSL_UNKNOWN_MILESTONE',
      `unknown milestone "${id}". Known milestones: ${Object.keys(MILESTONES).join(', ')}. Run e.g. "npm run mvp1" or "npm run qsl -- run mvp1".`,
    );
  }
  return m;
}

import { parseFeatureFlags, type FeatureFlags, type FlaggedService } from '../config/index.js';
import type { PublishMode } from './events/types.js';

/** The live feature flags of a running sandbox; PUT /admin/flags and rollback replace them. */
export class FlagStore {
  private current: FeatureFlags;

  constructor(initial: FeatureFlags) {
    this.current = parseFeatureFlags(initial);
  }

  get(): FeatureFlags {
    return this.current;
  }

  /** Validate and replace. @throws HarnessError QSL_FLAGS_INVALID */
  set(data: unknown, origin?: string): FeatureFlags {
    this.current = parseFeatureFlags(data, origin);
    return this.current;
  }

  /**
   * How `service` publishes now. `"shadow"` and `"parallel"` fall back to legacy-only when
   * DualPublishing.Enabled is false (no validation copies are made then).
   */
  modeFor(service: FlaggedService): PublishMode {
    const fm = this.current.FeatureManagement;
    const flag = fm.EventBridge[service];
    if (flag === true) return 'eventbridge';
    if (flag === false || !fm.DualPublishing.Enabled) return 'legacy';
    return flag;
  }

  shadowPercentage(): number {
    return this.current.FeatureManagement.DualPublishing.ShadowPercentage;
  }
}

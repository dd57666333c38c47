// Shared by both sides (no imports): k6 records what it saw the platform accept, the harness reads it back
// from the raw results. Truth about what should have happened comes from the run, not from the platform.

/** k6 Counter: one point per success, tagged with the user and the event type the success must cause. */
export const RECORDED_SUCCESS_METRIC = 'qsl_recorded_success';

/** Successes that must each reach the user as a notification (the events NotificationService notifies on). */
export type NotifiedEventType = 'UserSignedUp' | 'UserProfileUpdated';

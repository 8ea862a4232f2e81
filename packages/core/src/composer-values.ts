// The values a mix node evaluates to: a number, or a marker saying why there is none yet or at all.
import type { RewardResult } from './types.js';

/** The node abstains (a skipped component, a missing sub-score…). */
export interface SkipMarker { readonly kind: 'skip'; readonly reason: string }
/** The node waits for a component that has not been computed for this rollout yet. */
export interface NeedMarker { readonly kind: 'need' }
/** A component failed or timed out (and its `on_error` is `fail`), or no route matched. */
export interface FailMarker { readonly kind: 'fail'; readonly status: 'error' | 'timeout'; readonly code: string; readonly component: string | undefined; readonly reason: string }
/** Why a node has no number. */
export type Marker = SkipMarker | NeedMarker | FailMarker;
/** What a node evaluates to for one rollout. */
export type Value = number | Marker;

/** The one `need` marker: compared by identity. */
export const NEED: NeedMarker = { kind: 'need' };

/** The status a settled value gives the composed result. */
export function statusOf(value: Value): RewardResult['status'] {
  if (typeof value === 'number') return Number.isFinite(value) ? 'ok' : 'error';
  if (value.kind === 'skip') return 'skipped';
  if (value.kind === 'fail') return value.status;
  return 'error';
}

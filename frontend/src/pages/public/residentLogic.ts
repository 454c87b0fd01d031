// The device's own random token for "me too" and the supports it gave, and the progress steps of the tracking page
// (受理 → 处理中 → 办结 → 评价). Free of Vue.
import { read, write } from './reportDraft'

export const DEVICE_KEY = 'wangge.device'
export const SUPPORTED_KEY = 'wangge.supported'

/** This device's random token for "me too" (made once; the server keeps only a keyed hash of it). */
export function deviceToken(random: () => Uint8Array = () => crypto.getRandomValues(new Uint8Array(24))): string {
  const kept = read(DEVICE_KEY)
  if (typeof kept === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(kept)) return kept
  const token = btoa(String.fromCharCode(...random())).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  write(DEVICE_KEY, token)
  return token
}

export function supportedIds(): number[] {
  const raw = read(SUPPORTED_KEY)
  return Array.isArray(raw) ? raw.filter((x): x is number => Number.isInteger(x)).slice(-200) : []
}

export function rememberSupport(id: number): number[] {
  const list = [...supportedIds().filter((x) => x !== id), id].slice(-200)
  write(SUPPORTED_KEY, list)
  return list
}

// --- the tracking page's progress bar: 受理 → 处理中 → 办结 → 评价 ---------------------------------------------------

export const PROGRESS_STEPS = ['received', 'handling', 'done', 'rated'] as const
export type ProgressStep = (typeof PROGRESS_STEPS)[number]

const HANDLING = new Set(['accepted', 'at_station', 'escalated', 'handling', 'emergency', 'approval_review', 'approval_decision', 'public_notice'])

export interface Progress {
  /** How many steps are complete (0–4). */
  done: number
  /** The step under way, or null when all are complete. */
  current: ProgressStep | null
  /** When the step under way is due, if the matter has a deadline for it. */
  nextDue: string | null
}

/** Where a matter is on the resident's four steps: 受理 (received: signed for), 处理中, 办结 (resolved), 评价. */
export function progressOf(view: { status: string; rating?: string | null; next_due_at?: string | null }): Progress {
  let done: number
  if (view.status === 'submitted') done = 0
  else if (HANDLING.has(view.status)) done = 1
  else if (view.status === 'closed' || view.rating) done = 4
  else done = 3 // verifying, resolved, merged: finished, waiting for the rating
  const current = done < PROGRESS_STEPS.length ? PROGRESS_STEPS[done] : null
  return { done, current, nextDue: done < 2 ? (view.next_due_at ?? null) : null }
}

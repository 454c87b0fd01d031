// Which notifications open as a full-screen alert: an incident raised 突发事件, a tier call-out 出动通知, a matter
// declared an emergency 突发事项 and an orange or red early warning 预警. Everything else stays a line in the bell.
// Pure and small: part of the app shell; the order of the queue (alertQueue.ts) and the overlay itself are fetched
// only when an alert is due.
import type { AppNotification } from '@/api/types'

export type AlertKind = 'callout' | 'incident' | 'emergency' | 'warning'

/** An alert left unread longer than this no longer takes over the screen (it stays in the bell). */
export const ALERT_MAX_AGE_MS = 24 * 60 * 60 * 1000

export function alertKind(n: AppNotification): AlertKind | null {
  if (n.read_at) return null
  if (n.topic === 'incident.activation') return 'callout'
  if (n.topic === 'incident.raised') return 'incident'
  if (n.topic === 'matter.created' && n.matter_status === 'emergency') return 'emergency'
  if (n.topic === 'matter.changed' && n.action === 'declare_emergency') return 'emergency'
  if (n.topic === 'warning.issued' && (n.warning_level === 'orange' || n.warning_level === 'red')) return 'warning'
  return null
}

/** An unread alert not answered on this device and recent enough to take over the screen. */
export function isDueAlert(n: AppNotification, now: number, acknowledged: ReadonlySet<number>): boolean {
  if (acknowledged.has(n.id) || alertKind(n) === null) return false
  const at = Date.parse(n.created_at)
  return Number.isNaN(at) || now - at <= ALERT_MAX_AGE_MS
}

// The queue of full-screen alerts, fetched with the overlay (EmergencyAlert.vue): which one shows first, and where
// 查看 goes.
import type { AppNotification } from '@/api/types'
import { alertKind, isDueAlert, type AlertKind } from './alertLogic'

/** Call-outs first (someone waits for the answer), then incidents, then emergency matters, then warnings. */
const PRIORITY: Record<AlertKind, number> = { callout: 0, incident: 1, emergency: 2, warning: 3 }

/** The alerts still to show, the first one on screen: unread, recent, not acknowledged on this device. */
export function alertQueue(items: AppNotification[], now: number, acknowledged: ReadonlySet<number> = new Set()): AppNotification[] {
  const seen = new Set<number>()
  const due = items.filter((n) => {
    if (seen.has(n.id) || !isDueAlert(n, now, acknowledged)) return false
    seen.add(n.id)
    return true
  })
  return due.sort(
    (a, b) =>
      PRIORITY[alertKind(a)!] - PRIORITY[alertKind(b)!] || Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id,
  )
}

/** Where 查看 goes: the incident, else the matter, else the warning. */
export function alertPath(n: AppNotification): string | null {
  if (n.incident_id) return `/incidents/${n.incident_id}`
  if (n.matter_id) return `/matters/${n.matter_id}`
  if (n.warning_id) return `/warnings/${n.warning_id}`
  return null
}

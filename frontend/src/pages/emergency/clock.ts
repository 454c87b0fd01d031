// The report clock of an incident: the next report's kind and the time left (or overdue), and lateness of reports.
import type { IncidentReport, ReportClock, ReportKind } from '@/api/emergencies'

const pad = (n: number) => String(n).padStart(2, '0')

/** "mm:ss" (or "h:mm:ss") of a duration in seconds, whatever its sign. */
export function formatDuration(seconds: number): string {
  const s = Math.floor(Math.abs(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  return h ? `${h}:${pad(m)}:${pad(rest)}` : `${pad(m)}:${pad(rest)}`
}

export interface ClockView {
  kind: ReportKind | null
  /** Seconds until the next report is due; negative once overdue; null when nothing is due. */
  seconds: number | null
  overdue: boolean
  /** The countdown, or the time past due. */
  text: string
}

/** The clock as shown at `now`: the server's `overdue` counts, and so does a due time that has passed since. */
export function clockView(clock: ReportClock | null | undefined, now: number): ClockView {
  if (!clock || !clock.next_kind || !clock.next_due_at) return { kind: null, seconds: null, overdue: false, text: '' }
  const due = new Date(clock.next_due_at).getTime()
  if (Number.isNaN(due)) return { kind: clock.next_kind, seconds: null, overdue: !!clock.overdue, text: '' }
  const seconds = Math.round((due - now) / 1000)
  const overdue = !!clock.overdue || seconds < 0
  return { kind: clock.next_kind, seconds, overdue, text: (overdue ? '-' : '') + formatDuration(overdue ? Math.min(seconds, 0) : seconds) }
}

/** The kinds the next report may be: the first report first, then a follow-up or the final one. */
export function kindsAfter(reports: Pick<IncidentReport, 'kind'>[], clockKind?: ReportKind | null): ReportKind[] {
  if (reports.some((r) => r.kind === 'final')) return []
  if (!reports.length) return ['first']
  if (clockKind === 'first') return ['first']
  return ['followup', 'final']
}

/** Is a report late (the server's `late`, else its late seconds)? */
export function isLate(report: Pick<IncidentReport, 'late' | 'late_seconds'>): boolean {
  return typeof report.late === 'boolean' ? report.late : (report.late_seconds ?? 0) > 0
}

/** Muster seconds of an activation: the last arrival after activation, null while someone has not arrived. */
export function musterSeconds(activatedAt: string, arrivals: (string | null)[]): number | null {
  if (!arrivals.length || arrivals.some((a) => !a)) return null
  const start = new Date(activatedAt).getTime()
  const last = Math.max(...arrivals.map((a) => new Date(a as string).getTime()))
  return Math.max(0, Math.round((last - start) / 1000))
}

export const ROMAN = ['I', 'II', 'III', 'IV']
export function severityLabel(severity: number): string {
  return ROMAN[severity - 1] ?? String(severity)
}

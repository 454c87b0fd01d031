// Pure rules of the early-warning pages (预警): levels and their colours, the issue form's checks, the
// acknowledgement count, and the order of the list.

export const LEVELS = ['blue', 'yellow', 'orange', 'red'] as const
export type Level = (typeof LEVELS)[number]
export const KINDS = ['rainstorm', 'typhoon', 'flood', 'heat', 'cold', 'geological', 'fire', 'epidemic', 'other'] as const

/** The colour of a level as the public warning signals use it. */
export const LEVEL_COLOURS: Record<Level, string> = { blue: '#1e63c8', yellow: '#d9a400', orange: '#e66b00', red: '#c8102e' }

export function levelColour(level: string): string {
  return LEVEL_COLOURS[level as Level] ?? '#646566'
}

/** Orange and red open the field app's full-screen alert; blue and yellow stay a line in the bell. */
export function isAlarming(level: string | null | undefined): boolean {
  return level === 'orange' || level === 'red'
}

/** The default end of validity: `hours` from now, as the value of an <input type="datetime-local">, local time. */
export function defaultValidUntil(now: Date, hours = 24): string {
  const d = new Date(now.getTime() + hours * 3600_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export interface IssueForm {
  kind: string
  level: string
  text: string
  validUntil: string
  gridIds: number[]
}

/** What is missing or wrong in the form (keys of warning.form.errors), empty when it may be sent. */
export function formProblems(form: IssueForm, now: Date): string[] {
  const out: string[] = []
  if (!form.text.trim()) out.push('text')
  if (!form.gridIds.length) out.push('grids')
  const until = Date.parse(form.validUntil)
  if (Number.isNaN(until)) out.push('validUntil')
  else if (until <= now.getTime()) out.push('validUntilPast')
  return out
}

/** The body the API takes: the local time of the form as an instant with its offset. */
export function issueBody(form: IssueForm) {
  return {
    kind: form.kind as (typeof KINDS)[number],
    level: form.level as Level,
    text: form.text.trim(),
    valid_until: new Date(form.validUntil).toISOString(),
    grid_ids: [...new Set(form.gridIds)].sort((a, b) => a - b),
  }
}

/** "3/5": acknowledged of reached. */
export function ackProgress(w: { acknowledged_total: number; recipients_total: number }): string {
  return `${w.acknowledged_total}/${w.recipients_total}`
}

interface Listed {
  id: number
  status: string
  level: string
  issued_at: string
}

/** Active warnings first, the most severe first among them, then the newest. */
export function sortWarnings<T extends Listed>(items: T[]): T[] {
  const rank = (w: Listed) => (w.status === 'active' ? 0 : 1)
  const severity = (w: Listed) => -LEVELS.indexOf(w.level as Level)
  return [...items].sort(
    (a, b) => rank(a) - rank(b) || (rank(a) === 0 ? severity(a) - severity(b) : 0) || Date.parse(b.issued_at) - Date.parse(a.issued_at) || b.id - a.id,
  )
}

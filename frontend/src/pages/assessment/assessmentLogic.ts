// Pure helpers of the assessment pages: how a figure reads (a rate always with num/den beside it, so 100 % of 2 is
// visibly not 100 % of 200), the change against another period, grade and rate colours, and the period picker's
// navigation. Dates are Beijing calendar days as 'YYYY-MM-DD' strings, computed on UTC parts so the browser's own
// time zone never shifts them.
import type { Breakdown, Duration, Figure, Grade, Level, PeriodKind, PeriodOut, PeriodQuery, Rate } from '@/api/assessment'

export type Lang = 'zh-CN' | 'en'

export const PERIOD_KINDS: PeriodKind[] = ['day', 'week', 'month', 'quarter', 'year', 'range']
/** The 三率 and the counts shown first on every dashboard. */
export const HEADLINE_KEYS = [
  'received',
  'resolved',
  'response_rate',
  'resolution_rate',
  'satisfaction_rate',
  'rated_online',
  'rated_callback',
  'on_time_rate',
  'reopen_rate',
  'overdue',
  'resolve_hours',
]
export const FIELD_KEYS = ['patrol_coverage', 'log_days', 'visit_rate', 'quick_reports']
export const HAZARD_KEYS = ['hazards_found', 'hazards_fixed_on_time', 'hazards_overdue']
export const EMERGENCY_KEYS = ['first_report_on_time', 'follow_ups_on_time', 'muster_on_time']
/** Columns of the red/yellow/green table. */
export const TABLE_KEYS = ['received', 'response_rate', 'resolution_rate', 'satisfaction_rate', 'on_time_rate', 'overdue']
/** Indicators where less is better: a rise is shown in red. */
const LOWER_IS_BETTER = new Set(['reopen_rate', 'overdue', 'resolve_hours', 'hazards_overdue'])
/** Indicators whose change is neither better nor worse in itself: fewer matters received, or more hazards found, may
 * mean a quieter month or a less watchful one. */
const NO_BETTER = new Set(['received', 'hazards_found'])
/** The largest range the API accepts (the contract's 366 days). */
export const MAX_RANGE_DAYS = 366

export function isRate(value: unknown): value is Rate {
  return !!value && typeof value === 'object' && 'den' in value && 'num' in value
}
export function isDuration(value: unknown): value is Duration {
  return !!value && typeof value === 'object' && 'avg' in value && 'p90' in value
}
export function isBreakdown(value: unknown): value is Breakdown {
  return !!value && typeof value === 'object' && !isRate(value) && !isDuration(value)
}

/** "95.0%（114/120）" (full-width brackets in Chinese), "—（0/0）" when nothing was counted. */
export function formatRate(rate: Rate | null | undefined, lang: Lang = 'zh-CN'): string {
  if (!rate) return '—'
  const percent = rate.value === null || rate.den === 0 ? '—' : `${(rate.value * 100).toFixed(1)}%`
  return lang === 'zh-CN' ? `${percent}（${rate.num}/${rate.den}）` : `${percent} (${rate.num}/${rate.den})`
}

/** Working hours with one decimal: "12.5"; "—" when unknown. */
export function formatHours(hours: number | null | undefined): string {
  return hours === null || hours === undefined || !Number.isFinite(hours) ? '—' : hours.toFixed(1)
}

/** "平均 12.5 小时 · P90 30.0（8 件）" / "avg 12.5 h · p90 30.0 h (8)". */
export function formatDuration(d: Duration | null | undefined, lang: Lang = 'zh-CN'): string {
  if (!d || d.n === 0) return '—'
  return lang === 'zh-CN'
    ? `平均 ${formatHours(d.avg)} 小时 · P90 ${formatHours(d.p90)}（${d.n} 件）`
    : `avg ${formatHours(d.avg)} h · p90 ${formatHours(d.p90)} h (${d.n})`
}

/** Any figure as text: counts as they are, rates and durations as above, a breakdown as "a 3 · b 1". */
export function formatFigure(value: Figure | null | undefined, lang: Lang = 'zh-CN', name: (key: string) => string = (k) => k): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'number') return String(value)
  if (isRate(value)) return formatRate(value, lang)
  if (isDuration(value)) return formatDuration(value, lang)
  const parts = Object.entries(value).map(([k, n]) => `${name(k)} ${n}`)
  return parts.length ? parts.join(' · ') : '—'
}

/** The number a figure is compared and charted by: a rate's value as a percentage, a duration's average, a count. */
export function figureNumber(value: Figure | null | undefined): number | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return value
  if (isRate(value)) return value.value === null ? null : Math.round(value.value * 1000) / 10
  if (isDuration(value)) return value.avg
  return Object.values(value).reduce((a, b) => a + b, 0)
}

export interface Delta {
  /** ▲ up, ▼ down, = unchanged; null when either side is unknown. */
  arrow: '▲' | '▼' | '=' | null
  /** current − other: percentage points for a rate, hours for a duration, units for a count. */
  diff: number | null
  /** Whether the change is for the better (green), the worse (red) or neither. */
  tone: 'good' | 'bad' | 'neutral'
  text: string
}

/** The change of an indicator against the previous period or the same period last year. */
export function deltaOf(key: string, current: Figure | null | undefined, other: Figure | null | undefined, lang: Lang = 'zh-CN'): Delta {
  const a = figureNumber(current)
  const b = figureNumber(other)
  if (a === null || b === null) return { arrow: null, diff: null, tone: 'neutral', text: '—' }
  const diff = Math.round((a - b) * 10) / 10
  if (diff === 0) return { arrow: '=', diff: 0, tone: 'neutral', text: lang === 'zh-CN' ? '持平' : 'unchanged' }
  const up = diff > 0
  const better = LOWER_IS_BETTER.has(key) ? !up : up
  const size = Math.abs(diff)
  let amount: string
  if (isRate(current)) amount = lang === 'zh-CN' ? `${size.toFixed(1)} 个百分点` : `${size.toFixed(1)} pts`
  else if (isDuration(current)) amount = lang === 'zh-CN' ? `${size.toFixed(1)} 小时` : `${size.toFixed(1)} h`
  else amount = String(size)
  const tone = NO_BETTER.has(key) ? 'neutral' : better ? 'good' : 'bad'
  return { arrow: up ? '▲' : '▼', diff, tone, text: `${up ? '▲' : '▼'} ${amount}` }
}

export const GRADE_COLOURS: Record<Grade, string> = { green: '#07a35a', yellow: '#e6a23c', red: '#ee0a24' }
export const NO_GRADE_COLOUR = '#969799'

export function gradeColour(grade: Grade | null | undefined): string {
  return grade ? GRADE_COLOURS[grade] : NO_GRADE_COLOUR
}

/** A rate's colour by the scheme's thresholds (points out of 100): green ≥ green, yellow ≥ yellow, else red. */
export function rateGrade(rate: Rate | null | undefined, green = 90, yellow = 75): Grade | null {
  if (!rate || rate.value === null) return null
  const points = rate.value * 100
  return points >= green ? 'green' : points >= yellow ? 'yellow' : 'red'
}

/** level_share's counts turned into shares (0..1) in a fixed order. */
export function sharesOf(counts: Breakdown | null | undefined): { key: string; count: number; share: number }[] {
  const order = ['grid', 'station', 'street', 'department']
  const entries = Object.entries(counts ?? {}).sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
  const total = entries.reduce((sum, [, n]) => sum + n, 0)
  return entries.map(([key, count]) => ({ key, count, share: total ? count / total : 0 }))
}

// ---- dates and periods -------------------------------------------------------------------------------------------

function parse(day: string): Date {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d))
}
function iso(date: Date): string {
  return date.toISOString().slice(0, 10)
}
export function addDays(day: string, n: number): string {
  const d = parse(day)
  d.setUTCDate(d.getUTCDate() + n)
  return iso(d)
}
/** The same day n months on, clamped to the month's length (Jan 31 + 1 → Feb 28/29). */
export function addMonths(day: string, n: number): string {
  const d = parse(day)
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d.getUTCDate(), last))
  return iso(target)
}
export function daysBetween(start: string, end: string): number {
  return Math.round((parse(end).getTime() - parse(start).getTime()) / 86_400_000)
}

/** Today in Beijing (UTC+8, no daylight saving). */
export function todayInBeijing(now: Date = new Date()): string {
  return iso(new Date(now.getTime() + 8 * 3_600_000))
}

/** The first and last day of the period of `kind` holding `at` (weeks start on Monday). */
export function boundsOf(kind: Exclude<PeriodKind, 'range'>, at: string): [string, string] {
  const d = parse(at)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth()
  switch (kind) {
    case 'day':
      return [at, at]
    case 'week': {
      const monday = addDays(at, -((d.getUTCDay() + 6) % 7))
      return [monday, addDays(monday, 6)]
    }
    case 'month':
      return [iso(new Date(Date.UTC(y, m, 1))), iso(new Date(Date.UTC(y, m + 1, 0)))]
    case 'quarter': {
      const q = Math.floor(m / 3) * 3
      return [iso(new Date(Date.UTC(y, q, 1))), iso(new Date(Date.UTC(y, q + 3, 0)))]
    }
    case 'year':
      return [`${y}-01-01`, `${y}-12-31`]
  }
}

export interface PeriodState {
  kind: PeriodKind
  /** Any day inside the period (day … year). */
  at: string
  /** The range's first and last days (kind = range). */
  start: string
  end: string
}

/** The API's period parameters. */
export function periodQuery(state: PeriodState): PeriodQuery {
  return state.kind === 'range' ? { period: 'range', start: state.start, end: state.end } : { period: state.kind, at: state.at }
}

/** The period before (step −1) or after (+1): a range moves by its own length. */
export function shiftPeriod(state: PeriodState, step: 1 | -1): PeriodState {
  switch (state.kind) {
    case 'day':
      return { ...state, at: addDays(state.at, step) }
    case 'week':
      return { ...state, at: addDays(state.at, 7 * step) }
    case 'month':
      return { ...state, at: addMonths(boundsOf('month', state.at)[0], step) }
    case 'quarter':
      return { ...state, at: addMonths(boundsOf('quarter', state.at)[0], 3 * step) }
    case 'year':
      return { ...state, at: addMonths(boundsOf('year', state.at)[0], 12 * step) }
    case 'range': {
      const length = daysBetween(state.start, state.end) + 1
      return { ...state, start: addDays(state.start, length * step), end: addDays(state.end, length * step) }
    }
  }
}

/** Whether the next period would begin after today (nothing to show yet). */
export function isFuture(state: PeriodState, today: string): boolean {
  const next = shiftPeriod(state, 1)
  const first = next.kind === 'range' ? next.start : boundsOf(next.kind, next.at)[0]
  return first > today
}

/** A range the API accepts: start ≤ end and at most 366 days. */
export function rangeValid(start: string, end: string): boolean {
  return !!start && !!end && start <= end && daysBetween(start, end) + 1 <= MAX_RANGE_DAYS
}

/** The server's label of a period in the language shown. */
export function periodText(p: Pick<PeriodOut, 'label' | 'label_en'>, lang: Lang = 'zh-CN'): string {
  return lang === 'en' ? p.label_en : p.label
}

/** The picker's label: 2026年11月, 2026年第4季度, 11-02 至 11-08 … / Nov 2026, Q4 2026, … */
export function periodLabel(state: PeriodState, lang: Lang = 'zh-CN'): string {
  const zh = lang === 'zh-CN'
  const span = (a: string, b: string) => (zh ? `${a} 至 ${b}` : `${a} – ${b}`)
  if (state.kind === 'range') return span(state.start, state.end)
  const [first, last] = boundsOf(state.kind, state.at)
  const d = parse(first)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + 1
  switch (state.kind) {
    case 'day':
      return first
    case 'week':
      return span(first, last)
    case 'month':
      return zh ? `${y}年${m}月` : `${d.toLocaleString('en', { month: 'short', timeZone: 'UTC' })} ${y}`
    case 'quarter':
      return zh ? `${y}年第${Math.ceil(m / 3)}季度` : `Q${Math.ceil(m / 3)} ${y}`
    case 'year':
      return zh ? `${y}年` : String(y)
  }
}

// ---- units -------------------------------------------------------------------------------------------------------

/** The level a unit's children are at (a leader has none). */
export const CHILD_LEVEL: Partial<Record<Level, Level>> = { district: 'street', street: 'community', community: 'grid', grid: 'leader' }

/** The dashboard a role starts on: the scope's own unit (null: a system administrator picks a district first). */
export function homeUnit(role: string | undefined, scope: { level: string; id?: number | null } | undefined): { level: Level; id: number } | null {
  if (!scope || !scope.id) return null
  const own: Record<string, string[]> = {
    administrator: ['district', 'street', 'community'],
    department_officer: ['department'],
    street_officer: ['street'],
    station_chief: ['community'],
  }
  return role && own[role]?.includes(scope.level) && isLevel(scope.level) ? { level: scope.level, id: scope.id } : null
}

const LEVELS: Level[] = ['grid', 'leader', 'community', 'street', 'department', 'district']
export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as string[]).includes(value)
}

/** The query string of an XLSX export: the same parameters as the JSON it mirrors. */
export function exportQuery(base: Record<string, string | number>, period: PeriodQuery): Record<string, string | number> {
  const out: Record<string, string | number> = { ...base }
  for (const [k, v] of Object.entries(period)) if (v !== undefined) out[k] = v
  return out
}

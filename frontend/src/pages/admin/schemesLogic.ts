// The scheme editor's arithmetic, apart from the page: the keys a scheme may weigh or deduct for (the backend's
// assessment/schemes.py RATE_KEYS and COUNT_KEYS), the live sum of the weights, what is wrong with a draft before it
// is sent, and the month a new version takes effect.
import type { SchemeRules } from '@/api/assessmentSchemes'

/** Rates (higher is better): each earns weight × its value. */
export const RATE_KEYS = [
  'response_rate',
  'on_time_rate',
  'resolution_rate',
  'satisfaction_rate',
  'patrol_coverage',
  'log_days',
  'visit_rate',
  'hazards_fixed_on_time',
  'first_report_on_time',
  'follow_ups_on_time',
  'muster_on_time',
] as const
/** Counts (lower is better): each unit takes `points`, at most `max`. */
export const COUNT_KEYS = ['overdue', 'hazards_overdue'] as const

/** The rules as edited: numbers may be blank ('') while someone types. */
export interface Draft {
  indicators: { key: string; weight: number | '' }[]
  deductions: { key: string; points: number | ''; max: number | '' }[]
  green: number | ''
  yellow: number | ''
  min_count: number | ''
  /** "YYYY-MM" */
  month: string
}

export type Problem = 'noIndicators' | 'weights' | 'repeated' | 'weightRange' | 'deductionRange' | 'bands' | 'bandRange' | 'minCount' | 'month' | 'pastMonth'

const num = (v: number | '') => (v === '' || !Number.isFinite(v) ? 0 : v)

/** The sum of the weights, to two places (0.1 + 0.2 is 0.3 here). */
export function weightSum(draft: Pick<Draft, 'indicators'>): number {
  return Math.round(draft.indicators.reduce((s, i) => s + num(i.weight) * 100, 0)) / 100
}

/** The month after `today` ("YYYY-MM-DD" in Beijing) as "YYYY-MM": a new version scores months not yet begun. */
export function nextMonth(today: string): string {
  const [y, m] = today.split('-').map(Number)
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
}

/** An editable copy of a version's rules, to take effect in `month`. */
export function draftFrom(rules: SchemeRules, month: string): Draft {
  return {
    indicators: rules.indicators.map((i) => ({ key: i.key, weight: i.weight })),
    deductions: (rules.deductions ?? []).map((d) => ({ key: d.key, points: d.points, max: d.max })),
    green: rules.green,
    yellow: rules.yellow,
    min_count: rules.min_count,
    month,
  }
}

/** What stops the draft from being a scheme, in the order the form shows them (empty: it may be sent). With
 * `thisMonth` ("YYYY-MM" in Beijing) a month before it is refused: a closed month is frozen with the scheme that
 * scored it, so a version taking effect then would change nothing there (and read as if it had). */
export function problems(draft: Draft, thisMonth?: string): Problem[] {
  const out: Problem[] = []
  if (!draft.indicators.length) out.push('noIndicators')
  else if (weightSum(draft) !== 100) out.push('weights')
  const keys = draft.indicators.map((i) => i.key)
  const counts = draft.deductions.map((d) => d.key)
  if (new Set(keys).size !== keys.length || new Set(counts).size !== counts.length) out.push('repeated')
  if (draft.indicators.some((i) => i.weight === '' || i.weight <= 0 || i.weight > 100)) out.push('weightRange')
  if (draft.deductions.some((d) => d.points === '' || d.max === '' || d.points <= 0 || d.max <= 0 || d.points > 100 || d.max > 100))
    out.push('deductionRange')
  const band = (v: number | '') => v !== '' && v >= 0 && v <= 100
  if (!band(draft.green) || !band(draft.yellow)) out.push('bandRange')
  else if (num(draft.yellow) > num(draft.green)) out.push('bands')
  if (draft.min_count === '' || draft.min_count < 0 || !Number.isInteger(draft.min_count)) out.push('minCount')
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(draft.month)) out.push('month')
  else if (thisMonth && draft.month < thisMonth) out.push('pastMonth')
  return out
}

/** The body's rules and first day of the month (call only when `problems` is empty). */
export function toCreate(draft: Draft): { effective_from: string; rules: SchemeRules } {
  return {
    effective_from: `${draft.month}-01`,
    rules: {
      indicators: draft.indicators.map((i) => ({ key: i.key, weight: num(i.weight) })),
      deductions: draft.deductions.map((d) => ({ key: d.key, points: num(d.points), max: num(d.max) })),
      green: num(draft.green),
      yellow: num(draft.yellow),
      min_count: num(draft.min_count),
    },
  }
}

/** The rate keys row `index` may choose: its own and those no other row weighs yet. */
export function freeKeys(draft: Pick<Draft, 'indicators'>, index: number): string[] {
  const taken = new Set(draft.indicators.filter((_, i) => i !== index).map((i) => i.key))
  return RATE_KEYS.filter((k) => !taken.has(k))
}

/** The first rate key not weighed yet (for a new row), or null when all are. */
export function nextKey(draft: Pick<Draft, 'indicators'>): string | null {
  return freeKeys(draft, -1)[0] ?? null
}

/** The first count key not deducted for yet, or null. */
export function nextCount(draft: Pick<Draft, 'deductions'>): string | null {
  const taken = new Set(draft.deductions.map((d) => d.key))
  return COUNT_KEYS.find((k) => !taken.has(k)) ?? null
}

/** A version's weights in one line: "响应率 30 · 解决率 35 · 满意率 35". */
export function weightsLine(rules: SchemeRules, label: (key: string) => string): string {
  return rules.indicators.map((i) => `${label(i.key)} ${i.weight}`).join(' · ')
}

/** A version's deductions in one line: "超期件 −1/件，最多 −10" through the page's template. */
export function deductionsLine(rules: SchemeRules, each: (key: string, points: number, max: number) => string): string {
  return (rules.deductions ?? []).map((d) => each(d.key, d.points, d.max)).join(' · ')
}

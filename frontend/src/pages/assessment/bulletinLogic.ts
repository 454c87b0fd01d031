// Pure helpers of the monthly bulletin 通报 pages (BulletinsPage.vue, BulletinPage.vue).

import type { Rate } from '@/api/assessment'
import { formatRate, isRate, type Lang } from './assessmentLogic'

/** The figures a bulletin shows per unit, in this order (the rest are in its Excel file). */
export const BULLETIN_KEYS = ['received', 'resolved', 'response_rate', 'on_time_rate', 'resolution_rate', 'satisfaction_rate', 'overdue'] as const

/** A figure as the printed page shows it: a count as is, a rate with its numerator and denominator (the assessment
 * pages' own formatRate), anything else as "—". */
export function figureText(value: unknown, lang: Lang = 'zh-CN'): string {
  if (typeof value === 'number') return String(value)
  if (isRate(value)) return formatRate(value as Rate, lang)
  return '—'
}

/** A score to one decimal, or "—" for a unit with too few matters to be scored. */
export function scoreText(score: number | null | undefined): string {
  return score === null || score === undefined ? '—' : score.toFixed(1)
}

/** How many overdue matters the page does not list (the Excel file lists up to its own cap). */
export function unlisted(total: number, listed: number): number {
  return Math.max(0, total - listed)
}

/** The Beijing date and minute of an ISO instant: "2026-11-30 17:05". */
export function beijingMinute(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  const local = new Date(d.getTime() + 8 * 3600_000)
  return local.toISOString().slice(0, 16).replace('T', ' ')
}

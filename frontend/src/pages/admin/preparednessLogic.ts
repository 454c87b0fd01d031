// Pure parts of the reserve and duty-roster pages: a month as calendar weeks, filling days in rotation, what changed in
// the roster since it was loaded, and how an item's alerts are shown.

export interface DutyCell {
  userId: number | null
  phone: string
}

/** The month (YYYY-MM) `delta` months from `month`. */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number)
  const index = y * 12 + (m - 1) + delta
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** Every day of the month, as YYYY-MM-DD. */
export function daysOf(month: string): string[] {
  const [y, m] = month.split('-').map(Number)
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`)
}

/** The month as weeks from Monday to Sunday; the places before the 1st and after the last day are null. */
export function monthWeeks(month: string): (string | null)[][] {
  const days = daysOf(month)
  const [y, m] = month.split('-').map(Number)
  const lead = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7 // Monday = 0
  const cells: (string | null)[] = [...Array<null>(lead).fill(null), ...days]
  while (cells.length % 7) cells.push(null)
  const weeks: (string | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

/** `people` on duty in turn over `days` (one a day, in order, starting over when the list ends), each with `phone`;
 * with `onlyEmpty`, the days that already have someone keep them and the turn skips them. */
export function rotate(
  days: string[],
  people: number[],
  phone: string,
  cells: Record<string, DutyCell>,
  onlyEmpty = true,
): Record<string, DutyCell> {
  const out = { ...cells }
  if (!people.length) return out
  let turn = 0
  for (const day of days) {
    if (onlyEmpty && out[day]?.userId) continue
    out[day] = { userId: people[turn % people.length], phone }
    turn += 1
  }
  return out
}

/** The days whose person or phone differ from what was loaded, as the API takes them (a day with nobody clears it). */
export function changedDays(
  before: Record<string, DutyCell>,
  after: Record<string, DutyCell>,
): { day: string; user_id: number | null; duty_phone: string | null }[] {
  const days = new Set([...Object.keys(before), ...Object.keys(after)])
  const out: { day: string; user_id: number | null; duty_phone: string | null }[] = []
  for (const day of [...days].sort()) {
    const a = before[day] ?? { userId: null, phone: '' }
    const b = after[day] ?? { userId: null, phone: '' }
    if ((a.userId ?? null) === (b.userId ?? null) && (a.phone || '') === (b.phone || '')) continue
    out.push({ day, user_id: b.userId ?? null, duty_phone: b.userId ? b.phone.trim() || null : null })
  }
  return out
}

/** The most urgent of an item's alerts decides its colour: expired and low are red, expiring amber. */
export function alertTone(alerts: readonly string[]): 'danger' | 'warning' | null {
  if (alerts.includes('expired') || alerts.includes('low')) return 'danger'
  if (alerts.includes('expiring')) return 'warning'
  return null
}

/** A whole number of at least 1 typed into a quantity box, else null. */
export function amount(text: string): number | null {
  const n = Number(text.trim())
  return Number.isInteger(n) && n >= 1 && n <= 10_000_000 ? n : null
}

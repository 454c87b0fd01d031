// Figures of the field-work screens as text.
type T = (key: string, values?: Record<string, unknown>) => string

export function formatDistance(m: number, t: T): string {
  return m < 1000 ? t('patrol.metres', { n: Math.round(m) }) : t('patrol.kilometres', { n: (m / 1000).toFixed(2) })
}

/** hh:mm:ss */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`
}

/** YYYY-MM-DD in local time. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  return isoDay(new Date(y, m - 1, d + n))
}

/** Monday of the week of a day. */
export function mondayOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  const date = new Date(y, m - 1, d)
  return addDays(day, -((date.getDay() + 6) % 7))
}

/** Today in Beijing (UTC+8, no daylight saving), whatever the device's time zone: the days of the server. */
export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

/** A share 0…1 clamped, as the width of a bar (0…100). */
export function sharePercent(share: number): number {
  if (!Number.isFinite(share)) return 0
  return Math.min(100, Math.max(0, share * 100))
}

/** A share 0…1 as a whole percentage; a share above zero that rounds to 0 reads "<1%", below 100 never "100%". */
export function formatShare(share: number): string {
  const p = sharePercent(share)
  if (p > 0 && p < 0.5) return '<1%'
  if (p < 100 && p > 99.5) return '>99%'
  return `${Math.round(p)}%`
}

/** The value of an <input type="datetime-local"> for a moment, in the device's time. */
export function localDateTimeInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${isoDay(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

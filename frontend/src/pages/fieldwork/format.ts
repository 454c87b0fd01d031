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

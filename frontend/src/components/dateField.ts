// The day a person typed, read the forgiving way (2026-12-01, 2026/12/1, 2026.12.1, 20261201) into YYYY-MM-DD.
const PARTS = /^(\d{4})\D(\d{1,2})\D(\d{1,2})$/
const DIGITS = /^(\d{4})(\d{2})(\d{2})$/

/** The day in `value` as YYYY-MM-DD, or null when it is no real day or falls outside [min, max]. */
export function parseDay(value: string, min?: string, max?: string): string | null {
  const v = value.trim()
  const m = PARTS.exec(v) ?? DIGITS.exec(v)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
  const day = `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  if ((min && day < min) || (max && day > max)) return null
  return day
}

/** `day` moved inside [min, max]. */
export function withinBounds(day: string, min?: string, max?: string): string {
  if (min && day < min) return min
  if (max && day > max) return max
  return day
}

/** A time of day typed as 9:05, 09:05 or 0905, as HH:MM; null when it is none. */
export function parseTime(value: string): string | null {
  const m = /^(\d{1,2})[:：.]?(\d{2})$/.exec(value.trim())
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null
  return `${m[1].padStart(2, '0')}:${m[2]}`
}

/** A day and a time (2026-12-01 09:05, or with a T as datetime-local gives it) as YYYY-MM-DDTHH:MM; null when not. */
export function parseDateTime(value: string, min?: string, max?: string): string | null {
  const m = /^(\S+)(?:\s+|T)(\S+)$/.exec(value.trim())
  if (!m) return null
  const day = parseDay(m[1])
  const time = parseTime(m[2])
  if (!day || !time) return null
  const at = `${day}T${time}`
  if ((min && at < min) || (max && at > max)) return null
  return at
}

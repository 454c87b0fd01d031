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

// A register's point: both coordinates or neither (the server then leaves the point empty).

/** `{lat, lon}` as numbers when both are given and in range, both null when both are empty, null when not valid. */
export function pointFields(lat: string, lon: string): { lat: number | null; lon: number | null } | null {
  const a = lat.trim()
  const b = lon.trim()
  if (!a && !b) return { lat: null, lon: null }
  const y = Number(a)
  const x = Number(b)
  if (!a || !b || !Number.isFinite(y) || !Number.isFinite(x) || Math.abs(y) > 90 || Math.abs(x) > 180) return null
  return { lat: y, lon: x }
}

// Codes and figures of the hierarchy as the administration shows them.
import type { AreaLevel } from '@/api/admin'

/** The length of each level's code (the national administrative division codes: 6, 9, 12 digits). */
export const CODE_LENGTH: Record<AreaLevel, number> = { district: 6, street: 9, community: 12 }

/** An area in km² with two decimals, or in m² when smaller than a hundredth of a km². */
export function formatArea(m2: number): string {
  if (m2 <= 0) return '0'
  if (m2 < 10_000) return `${Math.round(m2)} m²`
  return `${(m2 / 1_000_000).toFixed(2)} km²`
}

/** The one geometry of a boundary file: a bare geometry, a Feature, or a FeatureCollection of one feature. */
export function boundaryOf(file: unknown): unknown | null {
  if (!file || typeof file !== 'object') return null
  const value = file as { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] }
  if (value.type === 'Polygon' || value.type === 'MultiPolygon') return value
  if (value.type === 'Feature') return value.geometry ?? null
  if (value.type === 'FeatureCollection' && Array.isArray(value.features) && value.features.length === 1) {
    return value.features[0]?.geometry ?? null
  }
  return null
}

// The published duty phones 值班电话 of grids and stations (亮证).
const DUTY_PHONE = /^\+?[0-9](?:[0-9 -]*[0-9])?$/
export const DUTY_PHONE_MAX = 30

/** A duty phone as the server stores it: full-width digits made half-width (as a Chinese input method types them),
 * spaces collapsed; null when empty. */
export function normalisePhone(text: string | null | undefined): string | null {
  const value = (text ?? '').normalize('NFKC').split(/\s+/).filter(Boolean).join(' ')
  return value || null
}

/** The server's rule (hierarchy/phones.py): digits with an optional leading +, dashes or spaces between them, at
 * least 3 digits, at most 30 characters. Empty is allowed: it clears the number. */
export function isDutyPhone(text: string | null | undefined): boolean {
  const value = normalisePhone(text)
  if (value === null) return true
  const digits = value.replace(/[^0-9]/g, '').length
  return value.length <= DUTY_PHONE_MAX && DUTY_PHONE.test(value) && digits >= 3
}

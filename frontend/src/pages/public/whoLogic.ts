// Pure helpers of who-is-my-grid 亮证 (WhoPage.vue) and of the duty phones the administration publishes.
import type { WhoQuery } from '@/api/who'

const NUMBER = /^\+?[0-9](?:[0-9 -]*[0-9])?$/
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
  return value.length <= DUTY_PHONE_MAX && NUMBER.test(value) && digits >= 3
}

function positiveId(value: unknown): number | null {
  const text = Array.isArray(value) ? value[0] : value
  if (typeof text !== 'string' || !/^\d{1,9}$/.test(text)) return null
  const id = Number(text)
  return id > 0 ? id : null
}

function coordinate(value: unknown, limit: number): number | null {
  const text = Array.isArray(value) ? value[0] : value
  if (typeof text !== 'string' || !/^-?\d{1,3}(\.\d{1,10})?$/.test(text)) return null
  const n = Number(text)
  return Math.abs(n) <= limit ? n : null
}

/** What the address asks for (/who?community=3, ?building=12, ?lat=..&lon=..), or null for the picker. */
export function queryFromRoute(query: Record<string, unknown>): WhoQuery | null {
  const building = positiveId(query.building)
  if (building !== null) return { building_id: building }
  const lat = coordinate(query.lat, 90)
  const lon = coordinate(query.lon, 180)
  if (lat !== null && lon !== null) return { lat, lon }
  const community = positiveId(query.community)
  if (community !== null) return { community_id: community }
  return null
}

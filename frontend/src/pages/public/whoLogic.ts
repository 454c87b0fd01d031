// Pure helpers of who-is-my-grid 亮证 (WhoPage.vue); the duty phones' rule is in pages/admin/areasLogic.ts.
import type { WhoQuery } from '@/api/who'

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

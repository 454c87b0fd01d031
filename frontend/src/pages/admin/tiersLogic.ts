// The units whose response tiers the caller keeps: a station chief their community; a street officer or an
// administrator their street and its communities (or, for a system or district administrator, every one they see).
import type { AreaChoice, UnitLevel } from '@/api/admin'
import type { CurrentUser } from '@/api/types'

export interface Unit {
  level: UnitLevel
  id: number
  name: string
}

export const unitKey = (u: Pick<Unit, 'level' | 'id'>) => `${u.level}:${u.id}`

/** The caller's units, their own first; `streets` and `communities` are those the caller may see. */
export function unitsFor(user: CurrentUser | null, streets: AreaChoice[], communities: AreaChoice[]): Unit[] {
  if (!user) return []
  if (user.role === 'station_chief') {
    return user.scope.id === null ? [] : [{ level: 'community', id: user.scope.id, name: user.scope.name }]
  }
  if (user.role !== 'street_officer' && user.role !== 'administrator') return []
  if (user.scope.level === 'community') {
    return user.scope.id === null ? [] : [{ level: 'community', id: user.scope.id, name: user.scope.name }]
  }
  return [
    ...streets.map((s) => ({ level: 'street' as const, id: s.id, name: s.name })),
    ...communities.map((c) => ({ level: 'community' as const, id: c.id, name: c.name })),
  ]
}

// The units an administration page works in, fetched once here for every page that needs them: the response tiers'
// and plans' units (a community or a street), and the communities whose grids a page lists.
import { listScopeChoices, type AreaChoice } from '@/api/admin'
import type { CurrentUser } from '@/api/types'
import { unitsFor, type Unit } from './tiersLogic'

/** Whether the caller's area is wider than one community (so the areas they see must be asked for). */
function wide(user: CurrentUser | null): boolean {
  return !!user && user.role !== 'station_chief' && user.scope.level !== 'community'
}

/** The communities and streets whose tiers and plans the caller keeps (tiersLogic.unitsFor). */
export async function keptUnits(user: CurrentUser | null): Promise<Unit[]> {
  const [streets, communities] = wide(user)
    ? await Promise.all([listScopeChoices('street'), listScopeChoices('community')])
    : [[], []]
  return unitsFor(user, streets, communities)
}

/** The caller's own community, or the communities their wider area holds. */
export async function workCommunities(user: CurrentUser | null): Promise<AreaChoice[]> {
  if (user && user.scope.level === 'community' && user.scope.id !== null) {
    return [{ id: user.scope.id, name: user.scope.name, code: user.scope.code }]
  }
  return listScopeChoices('community')
}

// 网格人员: which communities the caller staffs, and how the page reads the people API's answers — the leader now
// from the history, a grid's A/B partner from the pairs, the candidates of one grid.
import type { AreaChoice, LeaderCandidate, Leadership, PostPair } from '@/api/admin'
import type { CurrentUser } from '@/api/types'

export interface CommunityChoice {
  id: number
  name: string
}

/** The communities whose grids the caller may look at here: a station chief (or an administrator bound to one
 * community) their own; a street officer or a wider administrator those they see (`communities`). */
export function communitiesFor(user: CurrentUser | null, communities: AreaChoice[]): CommunityChoice[] {
  if (!user) return []
  if (user.role === 'station_chief' || (user.role === 'administrator' && user.scope.level === 'community')) {
    return user.scope.id === null ? [] : [{ id: user.scope.id, name: user.scope.name }]
  }
  if (user.role !== 'street_officer' && user.role !== 'administrator') return []
  return communities.map((c) => ({ id: c.id, name: c.name }))
}

/** Whether the caller may change leaders, teams and pairs: the server lets the community's station chief and the
 * administrators of its area do so (street officers only read). */
export function mayStaff(user: CurrentUser | null): boolean {
  return user?.role === 'station_chief' || user?.role === 'administrator'
}

/** The open leadership of a grid's history (newest first), or null when the grid has no leader. */
export function currentLeader(history: Leadership[]): Leadership | null {
  return history.find((h) => !h.ended_at) ?? null
}

export interface Partner {
  pairId: number
  grid: PostPair['grid_a']
}

/** The other grid of `gridId`'s active A/B pair. */
export function partnerOf(gridId: number, pairs: PostPair[]): Partner | null {
  const p = pairs.find((x) => x.active && (x.grid_a.id === gridId || x.grid_b.id === gridId))
  if (!p) return null
  return { pairId: p.id, grid: p.grid_a.id === gridId ? p.grid_b : p.grid_a }
}

/** The active pairs of which at least one grid is in `gridIds` (the caller may see pairs of other communities). */
export function pairsAmong(pairs: PostPair[], gridIds: Iterable<number>): PostPair[] {
  const ids = new Set(gridIds)
  return pairs.filter((p) => p.active && (ids.has(p.grid_a.id) || ids.has(p.grid_b.id)))
}

/** Who may be named leader of `gridId`: the grid leaders whose grid it is, the leader now excluded. */
export function candidatesFor(gridId: number, candidates: LeaderCandidate[], leaderId: number | null): LeaderCandidate[] {
  return candidates.filter((c) => c.grid_id === gridId && c.user_id !== leaderId)
}

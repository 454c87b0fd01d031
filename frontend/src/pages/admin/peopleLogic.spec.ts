import { describe, expect, it } from 'vitest'
import type { AreaChoice, LeaderCandidate, Leadership, PostPair } from '@/api/admin'
import type { CurrentUser } from '@/api/types'
import { candidatesFor, communitiesFor, currentLeader, mayStaff, pairsAmong, partnerOf } from './peopleLogic'

function user(role: CurrentUser['role'], level: CurrentUser['scope']['level'], id: number | null = 7): CurrentUser {
  return { role, scope: { level, id, name: '一社区', code: null } } as CurrentUser
}

const seen: AreaChoice[] = [
  { id: 7, name: '一社区', code: '1' },
  { id: 8, name: '二社区', code: '2' },
]

describe('communitiesFor', () => {
  it('gives a station chief their own community only', () => {
    expect(communitiesFor(user('station_chief', 'community'), seen)).toEqual([{ id: 7, name: '一社区' }])
    expect(communitiesFor(user('station_chief', 'community', null), seen)).toEqual([])
  })
  it('gives an administrator bound to a community that one, wider ones those they see', () => {
    expect(communitiesFor(user('administrator', 'community'), seen)).toEqual([{ id: 7, name: '一社区' }])
    expect(communitiesFor(user('administrator', 'street'), seen).map((c) => c.id)).toEqual([7, 8])
    expect(communitiesFor(user('street_officer', 'street'), seen).map((c) => c.id)).toEqual([7, 8])
  })
  it('gives no one else anything', () => {
    expect(communitiesFor(user('grid_leader', 'grid'), seen)).toEqual([])
    expect(communitiesFor(user('department_officer', 'department'), seen)).toEqual([])
    expect(communitiesFor(null, seen)).toEqual([])
  })
})

describe('mayStaff', () => {
  it('lets chiefs and administrators change, street officers read', () => {
    expect(mayStaff(user('station_chief', 'community'))).toBe(true)
    expect(mayStaff(user('administrator', 'system'))).toBe(true)
    expect(mayStaff(user('street_officer', 'street'))).toBe(false)
    expect(mayStaff(null)).toBe(false)
  })
})

const ref = (id: number, name = `u${id}`) => ({ id, name })

describe('currentLeader', () => {
  it('is the open row of the history', () => {
    const history = [
      { id: 2, grid_id: 1, user: ref(5), started_at: '2026-02-01T00:00:00Z', ended_at: null, assigned_by: null },
      { id: 1, grid_id: 1, user: ref(4), started_at: '2026-01-01T00:00:00Z', ended_at: '2026-02-01T00:00:00Z', assigned_by: null },
    ] as Leadership[]
    expect(currentLeader(history)?.user.id).toBe(5)
    expect(currentLeader(history.slice(1))).toBeNull()
    expect(currentLeader([])).toBeNull()
  })
})

const grid = (id: number) => ({ id, code: `G${id}`, name: `网格${id}`, leader: null })
const pair = (id: number, a: number, b: number, active = true) =>
  ({ id, grid_a: grid(a), grid_b: grid(b), distance_m: 0, created_at: '', ended_at: active ? null : 'x', active }) as PostPair

describe('partnerOf and pairsAmong', () => {
  const pairs = [pair(1, 10, 11), pair(2, 12, 20), pair(3, 13, 14, false), pair(4, 30, 31)]
  it('finds the other grid from either side of an active pair', () => {
    expect(partnerOf(10, pairs)).toEqual({ pairId: 1, grid: grid(11) })
    expect(partnerOf(11, pairs)).toEqual({ pairId: 1, grid: grid(10) })
    expect(partnerOf(13, pairs)).toBeNull() // ended
    expect(partnerOf(99, pairs)).toBeNull()
  })
  it('keeps the active pairs touching the community, across its edge too', () => {
    expect(pairsAmong(pairs, [10, 11, 12, 13, 14]).map((p) => p.id)).toEqual([1, 2])
  })
})

describe('candidatesFor', () => {
  const candidates: LeaderCandidate[] = [
    { user_id: 1, name: '甲', role: 'grid_leader', grid_id: 10 },
    { user_id: 2, name: '乙', role: 'grid_leader', grid_id: 10 },
    { user_id: 3, name: '丙', role: 'grid_leader', grid_id: 11 },
  ]
  it("keeps the grid's own leaders but the one leading now", () => {
    expect(candidatesFor(10, candidates, 1).map((c) => c.user_id)).toEqual([2])
    expect(candidatesFor(10, candidates, null).map((c) => c.user_id)).toEqual([1, 2])
    expect(candidatesFor(12, candidates, null)).toEqual([])
  })
})

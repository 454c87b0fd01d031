import { describe, expect, it } from 'vitest'
import type { CurrentUser } from '@/api/types'
import { unitKey, unitsFor } from './tiersLogic'

function user(role: CurrentUser['role'], level: CurrentUser['scope']['level'], id: number | null, name = '枫溪'): CurrentUser {
  return { id: 1, username: 'u', display_name: 'U', phone: null, phone_public: false, role, scope: { level, id, name, code: null }, is_active: true, must_change_password: false, language: 'zh-CN' }
}

const streets = [{ id: 7, name: '枫溪街道', code: null }]
const communities = [
  { id: 3, name: '枫溪社区', code: null },
  { id: 4, name: '樟湾社区', code: null },
]

describe('the units whose tiers one keeps', () => {
  it('are a station chief’s own community only', () => {
    expect(unitsFor(user('station_chief', 'community', 3, '枫溪社区'), streets, communities)).toEqual([
      { level: 'community', id: 3, name: '枫溪社区' },
    ])
  })

  it('are a street’s and its communities for a street officer or administrator', () => {
    const units = unitsFor(user('street_officer', 'street', 7), streets, communities)
    expect(units.map(unitKey)).toEqual(['street:7', 'community:3', 'community:4'])
    expect(unitsFor(user('administrator', 'system', null), streets, communities)).toHaveLength(3)
  })

  it('are none for field staff', () => {
    expect(unitsFor(user('grid_leader', 'grid', 9), streets, communities)).toEqual([])
    expect(unitsFor(null, streets, communities)).toEqual([])
  })
})

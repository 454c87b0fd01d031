import { describe, expect, it } from 'vitest'
import type { House, Person } from '@/api/registry'
import type { GridCache, RegistryOpPayload } from '@/offline/registryOps'
import { byUnitAndFloor, checklist, clientRefs, livingCount, shortDay, todayInChina } from './collectLogic'

const house = (id: number, unit: string, floor: number, room: string, residents: { id: number; name: string }[] = [], building = 3): House => ({
  id, grid_id: 7, building_id: building, unit, floor, room, label: `1栋${unit}单元${room}`, use: 'owner_occupied', tenant_ids: [],
  residents: residents.map((r) => ({ ...r, relation: 'head', residence: 'registered' })), last_recorded_at: '2026-11-30T02:00:00Z',
})  // prettier-ignore

const cache: GridCache = {
  gridId: 7,
  buildings: [{ id: 3, name: '1栋' }],
  houses: [
    house(1, '1', 5, '501', [{ id: 11, name: '李四' }]),
    house(2, '1', 5, '502'),
    house(3, '2', 1, '101'),
    house(4, '1', 10, '1001'),
    house(5, '', 1, '101', [], 4),
  ],
  people: [{ id: 11, id_number: '4301**********123X', phone: '139****5678' } as Person],
  fetchedAt: '2026-12-01T00:00:00Z',
}

describe('the checklist of a building', () => {
  it('lists the building’s rooms with residents masked as the server sent them', () => {
    const rooms = checklist(cache, [], 3)
    expect(rooms.map((r) => r.room).sort()).toEqual(['1001', '101', '501', '502'])
    const r501 = rooms.find((r) => r.room === '501')!
    expect(r501.residents[0]).toMatchObject({ name: '李四', idNumber: '4301**********123X', phone: '139****5678', pending: false })
    expect(rooms.every((r) => !r.pending)).toBe(true)
  })

  it('lays the waiting operations over the copy at once', () => {
    const ops: RegistryOpPayload[] = [
      { kind: 'registry.house_patch', gridId: 7, house: 2, body: { use: 'rented' } },
      { kind: 'registry.person_create', gridId: 7, clientId: 'P1', house: 2, body: { name: '孙七', residence: 'floating', relation: 'head', id_number: '43011119900101002X', phone: '13800001111' } },
      { kind: 'registry.person_move', gridId: 7, person: 11, name: '李四', body: { kind: 'moved_out', on: '2026-12-02' } },
      { kind: 'registry.house_create', gridId: 7, clientId: 'H9', body: { building_id: 3, unit: '1', floor: 6, room: '601', use: 'owner_occupied' } },
      { kind: 'registry.person_create', gridId: 7, clientId: 'P2', house: 'H9', body: { name: '周九', residence: 'registered', relation: 'head' } },
      { kind: 'registry.house_patch', gridId: 8, house: 1, body: { use: 'vacant' } }, // another grid's
    ]
    const rooms = checklist(cache, ops, 3)
    const r502 = rooms.find((r) => r.room === '502')!
    expect(r502).toMatchObject({ use: 'rented', pending: true })
    expect(r502.residents[0]).toMatchObject({ name: '孙七', pending: true, idNumber: '4301**********002X', phone: '138****1111' })
    const r501 = rooms.find((r) => r.room === '501')!
    expect(r501.use).toBe('owner_occupied')
    expect(r501.residents[0]).toMatchObject({ leaving: true, pending: true })
    expect(livingCount(r501)).toBe(0)
    const r601 = rooms.find((r) => r.room === '601')!
    expect(r601).toMatchObject({ pending: true, ref: 'H9' })
    expect(r601.residents.map((r) => r.name)).toEqual(['周九'])
    expect(clientRefs(ops)).toEqual({ house: ['H9'], person: ['P1', 'P2'] })
  })

  it('finds by their server ids what was created offline and has been acknowledged', () => {
    const acknowledged: GridCache = { ...cache, houses: [...cache.houses, { ...house(6, '1', 6, '601'), last_recorded_at: null }] }
    const ops: RegistryOpPayload[] = [{ kind: 'registry.person_create', gridId: 7, clientId: 'P2', house: 'H9', body: { name: '周九', residence: 'registered', relation: 'head' } }]
    const rooms = checklist(acknowledged, ops, 3, { H9: 6 })
    expect(rooms.filter((r) => r.room === '601')).toHaveLength(1)
    expect(rooms.find((r) => r.room === '601')!.residents.map((r) => r.name)).toEqual(['周九'])
  })

  it('groups by unit, floors from the top', () => {
    const groups = byUnitAndFloor(checklist(cache, [], 3))
    expect(groups.map((g) => [g.unit, g.floors.map((f) => [f.floor, f.rooms.map((r) => r.room)])])).toEqual([
      ['1', [[10, ['1001']], [5, ['501', '502']]]],
      ['2', [[1, ['101']]]],
    ])
  })

  it('tells the day in China', () => {
    expect(todayInChina(new Date('2026-12-01T17:00:00Z'))).toBe('2026-12-02')
    expect(shortDay('2026-11-30T02:00:00Z')).toBe('11-30')
  })
})

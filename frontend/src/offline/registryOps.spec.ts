// Field collection's registry.* operations through the real outbox, against fake-indexeddb and a fake registry behind
// fetch that, like the real one, answers a replayed Idempotency-Key with its first answer.
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setAuthHooks } from '@/api/client'
import type { House, Person } from '@/api/registry'
import { Outbox } from './outbox'
import { absorbPerson, cacheKey, maskIdNumber, maskPhone, refKey, type GridCache } from './registryOps'

interface Call {
  method: string
  path: string
  key: string | null
  body: Record<string, unknown>
}

function fakeRegistry() {
  const calls: Call[] = []
  const answers = new Map<string, Response>()
  const houses: House[] = []
  const people: Person[] = []
  let mode: 'ok' | 'offline' | 'lose-answer' = 'ok'
  const refuse = new Set<string>()
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

  const fetchImpl = vi.fn(async (url: string, init: RequestInit) => {
    const path = url.replace('/api/v1', '')
    const key = new Headers(init.headers).get('Idempotency-Key')
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : {}
    calls.push({ method: init.method ?? 'GET', path, key, body })
    if (mode === 'offline') throw new TypeError('Failed to fetch')
    if (key && answers.has(key)) return answers.get(key)!.clone()
    let answer: Response
    let m: RegExpMatchArray | null
    if (refuse.has(path)) {
      refuse.delete(path)
      answer = json(422, { title: 'Unprocessable', status: 422, code: 'id-number-invalid', detail: 'bad number' })
    } else if ((m = path.match(/^\/registry\/grids\/(\d+)\/houses$/))) {
      const h = { id: 500 + houses.length, grid_id: Number(m[1]), residents: [], tenant_ids: [], label: body.room, last_recorded_at: null, ...body } as unknown as House
      houses.push(h)
      answer = json(201, h)
    } else if ((m = path.match(/^\/registry\/houses\/(\d+)$/))) {
      const h = houses.find((x) => x.id === Number(m![1]))!
      Object.assign(h, body)
      answer = json(200, h)
    } else if ((m = path.match(/^\/registry\/grids\/(\d+)\/people$/))) {
      const p = {
        id: 900 + people.length, grid_id: Number(m[1]), house_id: body.house_id, address: 'x', name: body.name, residence: body.residence,
        relation: body.relation ?? 'other', special_groups: [], phone: maskPhone(body.phone as string), id_number: maskIdNumber(body.id_number as string),
        registration_due: null, died_on: null, living_here: true,
      } as Person
      people.push(p)
      answer = json(201, p)
    } else if ((m = path.match(/^\/registry\/people\/(\d+)\/moves$/))) {
      const p = people.find((x) => x.id === Number(m![1]))!
      Object.assign(p, { house_id: null, living_here: false })
      answer = json(200, p)
    } else {
      answer = json(404, { title: 'Not Found', status: 404 })
    }
    if (key && answer.ok) answers.set(key, answer.clone())
    if (mode === 'lose-answer') {
      mode = 'ok'
      throw new TypeError('connection reset after the server committed')
    }
    return answer
  })
  return { calls, houses, people, fetchImpl, setMode: (x: typeof mode) => (mode = x), refuse: (path: string) => refuse.add(path) }
}

async function settle() {
  for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve))
}

let n = 0
let server: ReturnType<typeof fakeRegistry>
let box: Outbox

beforeEach(() => {
  server = fakeRegistry()
  vi.stubGlobal('fetch', server.fetchImpl)
  setAuthHooks({ accessToken: () => 'token', refresh: async () => false, onUnauthorized: () => {} })
  box = new Outbox({ dbName: `registry-ops-${++n}`, autoRetry: false })
})

afterEach(() => {
  box.close()
  setAuthHooks(null)
})

const NUMBER = '43011119900101002X'

describe('registry operations in the outbox', () => {
  it('queues offline, then sends in order, naming what was created offline by its server id', async () => {
    server.setMode('offline')
    await box.enqueue({ kind: 'registry.house_create', gridId: 7, clientId: 'H1', body: { building_id: 3, unit: '1', floor: 5, room: '501', use: 'owner_occupied' } }, 'H1')
    await box.enqueue({ kind: 'registry.person_create', gridId: 7, clientId: 'P1', house: 'H1', body: { name: '孙七', residence: 'floating', relation: 'tenant', id_number: NUMBER } }, 'P1')
    await box.enqueue({ kind: 'registry.house_patch', gridId: 7, house: 'H1', body: { use: 'rented' } }, 'U1')
    await box.enqueue({ kind: 'registry.person_move', gridId: 7, person: 'P1', name: '孙七', body: { kind: 'moved_out', on: '2026-12-02' } }, 'M1')
    await box.flush()
    expect(box.state.ops).toBe(4)
    expect(box.state.reachable).toBe(false)

    server.setMode('ok')
    server.calls.length = 0
    await box.flush()
    expect(box.state.ops).toBe(0)
    expect(box.state.failed).toEqual([])
    expect(server.calls.map((c) => `${c.method} ${c.path} ${c.key}`)).toEqual([
      'POST /registry/grids/7/houses H1',
      'POST /registry/grids/7/people P1',
      'PATCH /registry/houses/500 U1',
      'POST /registry/people/900/moves M1',
    ])
    expect(server.calls[1].body).toMatchObject({ house_id: 500, name: '孙七', id_number: NUMBER })
    expect(await box.getValue(refKey('house', 'H1'))).toBe(500)
    expect(await box.getValue(refKey('person', 'P1'))).toBe(900)
    expect(server.houses[0].use).toBe('rented')
    expect(server.people).toHaveLength(1)
  })

  it('sends again with the same key after a lost answer: the person is created once', async () => {
    await box.enqueue({ kind: 'registry.person_create', gridId: 7, clientId: 'P2', house: 41, body: { name: '周九', residence: 'registered', relation: 'head' } }, 'P2')
    server.setMode('lose-answer')
    await box.flush()
    expect(box.state.ops).toBe(1)
    await box.flush()
    expect(box.state.ops).toBe(0)
    const creates = server.calls.filter((c) => c.path === '/registry/grids/7/people')
    expect(creates.map((c) => c.key)).toEqual(['P2', 'P2'])
    expect(server.people).toHaveLength(1)
    expect(await box.getValue(refKey('person', 'P2'))).toBe(900)
  })

  it('fails for good what names a person whose create was refused, and goes on with the rest', async () => {
    server.refuse('/registry/grids/7/people')
    await box.enqueue({ kind: 'registry.person_create', gridId: 7, clientId: 'P3', house: 41, body: { name: '吴十', residence: 'registered', relation: 'head', id_number: '430111199001010020' } }, 'P3')
    await box.enqueue({ kind: 'registry.person_move', gridId: 7, person: 'P3', name: '吴十', body: { kind: 'moved_out', on: '2026-12-02' } }, 'M3')
    await box.enqueue({ kind: 'registry.house_create', gridId: 7, clientId: 'H3', body: { building_id: 3, unit: '', floor: 1, room: '101', use: 'vacant' } }, 'H3')
    await box.flush()
    await settle()
    expect(box.state.ops).toBe(0)
    expect(box.state.failed.map((f) => [f.op.kind, f.status, f.code])).toEqual([
      ['registry.person_create', 422, 'id-number-invalid'],
      ['registry.person_move', 0, undefined],
    ])
    expect(server.calls.some((c) => c.path.endsWith('/moves'))).toBe(false)
    expect(server.houses.map((h) => h.room)).toEqual(['101'])
  })

  it("folds each answer into the grid's copy on the phone", async () => {
    const cache: GridCache = {
      gridId: 7,
      buildings: [{ id: 3, name: '1栋' }],
      houses: [{ id: 41, grid_id: 7, building_id: 3, unit: '', floor: 1, room: '101', label: '1栋101', use: 'owner_occupied', residents: [], tenant_ids: [], last_recorded_at: null }],
      people: [],
      fetchedAt: '2026-12-02T00:00:00Z',
    }
    await box.setValue(cacheKey(7), cache)
    await box.enqueue({ kind: 'registry.person_create', gridId: 7, clientId: 'P4', house: 41, body: { name: '郑十一', residence: 'registered', relation: 'head', phone: '13800001111' } }, 'P4')
    await box.flush()
    const after = (await box.getValue<GridCache>(cacheKey(7)))!
    expect(after.houses[0].residents.map((r) => r.name)).toEqual(['郑十一'])
    expect(after.people[0].phone).toBe('138****1111')
    await box.enqueue({ kind: 'registry.person_move', gridId: 7, person: 'P4', name: '郑十一', body: { kind: 'moved_out', on: '2026-12-02' } }, 'M4')
    await box.flush()
    const gone = (await box.getValue<GridCache>(cacheKey(7)))!
    expect(gone.houses[0].residents).toEqual([])
    expect(gone.people).toEqual([])
  })
})

describe('masking and folding', () => {
  it('masks as the server does', () => {
    expect(maskIdNumber(NUMBER)).toBe('4301**********002X')
    expect(maskPhone('13912345678')).toBe('139****5678')
    expect(maskPhone('12345')).toBe('*****')
    expect(maskIdNumber('')).toBeNull()
  })

  it('moves a person between houses of the copy', () => {
    const house = (id: number) => ({ id, grid_id: 1, building_id: 1, unit: '', floor: 1, room: String(id), label: '', use: 'owner_occupied', residents: [], tenant_ids: [] }) as House
    const p = { id: 5, grid_id: 1, house_id: 1, address: null, name: 'A', residence: 'registered', relation: 'head', special_groups: [], phone: null, id_number: null, registration_due: null, died_on: null, living_here: true } as Person
    const c1 = absorbPerson({ gridId: 1, buildings: [], houses: [house(1), house(2)], people: [], fetchedAt: '' }, p)
    const c2 = absorbPerson(c1, { ...p, house_id: 2 })
    expect(c2.houses.map((h) => h.residents.map((r) => r.id))).toEqual([[], [5]])
    expect(c2.people).toHaveLength(1)
  })
})

// The patrol store over a fake IndexedDB: GPS fixes become points, batched by ten, repeated fixes skipped.
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useAuthStore } from './auth'
import { distanceM, usePatrolStore } from './patrol'

let n = 0
const fix = (lat: number, lon: number, at: number) =>
  ({ coords: { latitude: lat, longitude: lon, accuracy: 5 }, timestamp: at }) as unknown as GeolocationPosition

beforeEach(() => {
  setActivePinia(createPinia())
  const auth = useAuthStore()
  auth.accessToken = 'token'
  auth.user = {
    id: 1000 + ++n,
    username: 'leader',
    display_name: '张丽',
    role: 'grid_leader',
    scope: { level: 'grid', id: 3, name: '一网格', code: null },
    is_active: true,
    must_change_password: false,
    language: 'zh-CN',
    phone: null,
    phone_public: false,
  }
  vi.stubGlobal('navigator', { onLine: false, geolocation: { watchPosition: vi.fn(() => 1), clearWatch: vi.fn() } })
  vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('offline') }))
})

afterEach(() => usePatrolStore().disconnect())

describe('patrol store', () => {
  it('measures distance on the sphere', () => {
    expect(distanceM([28.1, 113], [28.101, 113])).toBeCloseTo(111.2, 0)
  })

  it('queues the start, batches ten points with one batch id, skips a repeated fix and a poor one', async () => {
    const patrol = usePatrolStore()
    await patrol.start()
    expect(patrol.active?.gridId).toBe(3)
    const t0 = Date.parse('2025-05-01T08:00:00Z')
    patrol.onPosition(fix(28.1, 113, t0))
    patrol.onPosition(fix(28.1, 113, t0 + 1000)) // the same place again: skipped
    patrol.onPosition({ coords: { latitude: 28.2, longitude: 113, accuracy: 900 }, timestamp: t0 + 1500 } as unknown as GeolocationPosition)
    for (let i = 1; i <= 9; i++) patrol.onPosition(fix(28.1 + i * 3e-5, 113, t0 + i * 2000))
    expect(patrol.active?.pointCount).toBe(10)
    await vi.waitFor(async () => expect((await patrol.outbox!.pending()).length).toBe(2))
    const [start, batch] = await patrol.outbox!.pending()
    expect(start.kind).toBe('patrol.start')
    expect(batch.kind).toBe('patrol.points')
    if (batch.kind !== 'patrol.points') throw new Error()
    expect(batch.body.points).toHaveLength(10)
    expect(new Set(batch.body.points.map((p) => p.client_id)).size).toBe(10)
    expect(batch.body.points[0].recorded_at).toBe('2025-05-01T08:00:00.000Z')
    expect(patrol.active?.buffer).toHaveLength(0)
    expect(patrol.waiting).toBe(11)
    expect(patrol.offline).toBe(true)

    await patrol.report({ category: 'sanitation', description: '垃圾', photos: [new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' })] })
    await patrol.stop()
    const kinds = (await patrol.outbox!.pending()).map((op) => op.kind)
    expect(kinds).toEqual(['patrol.start', 'patrol.points', 'patrol.finding', 'patrol.stop'])
    expect(patrol.active).toBeNull()
  })

  it('resumes a patrol after a reload', async () => {
    const first = usePatrolStore()
    await first.start()
    first.onPosition(fix(28.1, 113, Date.now()))
    await vi.waitFor(async () => expect((await first.outbox!.getValue<{ pointCount: number }>('active-patrol'))?.pointCount).toBe(1))
    const clientId = first.active!.clientId
    first.disconnect()

    const again = usePatrolStore()
    await again.connect()
    expect(again.active?.clientId).toBe(clientId)
    expect(again.active?.buffer).toHaveLength(1)
    expect(again.waiting).toBe(2) // the start and the buffered point
  })
})

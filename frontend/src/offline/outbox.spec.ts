// The outbox against fake-indexeddb and a fake server behind fetch: order, retries, idempotency, failures, reloads.
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setAuthHooks } from '@/api/client'
import { Outbox, isRetryable, photoFromBlob, type OutboxState } from './outbox'
import { ApiError } from '@/api/client'

interface Call {
  method: string
  path: string
  headers: Record<string, string>
  body: unknown
}

/** A server that keeps patrols and points by client id, like the real one, and can drop answers or the network. */
function fakeServer() {
  const calls: Call[] = []
  const patrols = new Map<string, { id: number; points: Set<string> }>()
  const batches = new Set<string>()
  const findings = new Set<string>()
  let photoSeq = 100
  let mode: 'ok' | 'offline' | 'lose-answer' | '500' = 'ok'
  const failOnce = new Map<string, number>()
  const problems = new Map<string, object>()

  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

  const fetchImpl = vi.fn(async (url: string, init: RequestInit) => {
    const path = url.replace('/api/v1', '')
    const headers: Record<string, string> = {}
    new Headers(init.headers).forEach((v, k) => (headers[k] = v))
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body
    calls.push({ method: init.method ?? 'GET', path, headers, body })
    if (mode === 'offline') throw new TypeError('Failed to fetch')
    if (mode === '500') return json(503, { title: 'Service Unavailable', status: 503 })
    const forced = [...failOnce.entries()].find(([prefix]) => path.startsWith(prefix))
    if (forced) {
      failOnce.delete(forced[0])
      return json(forced[1], problems.get(forced[0]) ?? { title: 'no', status: forced[1], detail: `refused with ${forced[1]}` })
    }
    let answer: Response
    if (path === '/patrols') {
      const b = body as { client_id: string }
      if (!patrols.has(b.client_id)) patrols.set(b.client_id, { id: patrols.size + 1, points: new Set() })
      answer = json(201, { id: patrols.get(b.client_id)!.id, client_id: b.client_id })
    } else if (/^\/patrols\/\d+\/points$/.test(path)) {
      const id = Number(path.split('/')[2])
      const patrol = [...patrols.values()].find((p) => p.id === id)!
      const b = body as { batch_id: string; points: { client_id: string }[] }
      batches.add(b.batch_id)
      let fresh = 0
      for (const p of b.points) if (!patrol.points.has(p.client_id) && patrol.points.add(p.client_id)) fresh++
      answer = json(200, { batch_id: b.batch_id, received: b.points.length, new_points: fresh, duplicates: b.points.length - fresh, flagged: [], patrol: { id } })
    } else if (path === '/photos') {
      answer = json(201, { id: ++photoSeq })
    } else if (/findings$/.test(path)) {
      findings.add((body as { client_id: string }).client_id)
      answer = json(201, { id: findings.size, client_id: (body as { client_id: string }).client_id, matter: { id: 9, tracking_code: 'X', status: 'submitted' } })
    } else {
      answer = json(200, { ok: true })
    }
    if (mode === 'lose-answer') {
      mode = 'ok'
      throw new TypeError('connection reset after the server committed')
    }
    return answer
  })

  return {
    calls,
    patrols,
    findings,
    fetchImpl,
    setMode: (m: typeof mode) => (mode = m),
    failNext: (prefix: string, status: number, problem?: object) => {
      failOnce.set(prefix, status)
      if (problem) problems.set(prefix, problem)
    },
    paths: () => calls.map((c) => `${c.method} ${c.path}`),
  }
}

/** Lets (fake) IndexedDB, which runs on real setImmediate, finish what it was doing. */
async function settle() {
  for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve))
}

let dbCount = 0
let server: ReturnType<typeof fakeServer>
let dbName: string
const boxes: Outbox[] = []

function outbox() {
  const box = new Outbox({ dbName, autoRetry: false })
  boxes.push(box)
  return box
}

const point = (n: number) => ({ client_id: `pt-${n}`, recorded_at: `2025-05-01T08:00:0${n}Z`, lat: 30 + n / 1e4, lon: 120, accuracy_m: 5 })

beforeEach(() => {
  dbName = `outbox-test-${++dbCount}`
  server = fakeServer()
  vi.stubGlobal('fetch', server.fetchImpl)
  setAuthHooks({ accessToken: () => 'token', refresh: async () => false, onUnauthorized: () => {} })
})

afterEach(() => {
  while (boxes.length) boxes.pop()!.close()
  setAuthHooks(null)
})

describe('outbox', () => {
  it('sends operations in the order they were made, resolving the patrol by its client id', async () => {
    const box = outbox()
    await box.enqueue({ kind: 'patrol.start', patrolClientId: 'P1', body: { client_id: 'P1', started_at: '2025-05-01T08:00:00Z' } })
    await box.enqueue({ kind: 'patrol.points', patrolClientId: 'P1', body: { batch_id: 'B1', points: [point(1), point(2)] } })
    await box.enqueue({ kind: 'patrol.checkin', patrolClientId: 'P1', body: { client_id: 'C1', building_id: 4, at: '2025-05-01T08:01:00Z' } })
    await box.enqueue({ kind: 'patrol.points', patrolClientId: 'P1', body: { batch_id: 'B2', points: [point(3)] } })
    await box.enqueue({ kind: 'patrol.stop', patrolClientId: 'P1', body: { ended_at: '2025-05-01T09:00:00Z' } })
    expect(box.state.ops).toBe(5)
    expect(box.state.items).toBe(1 + 2 + 1 + 1 + 1)

    await box.flush()

    expect(server.paths()).toEqual([
      'POST /patrols',
      'POST /patrols/1/points',
      'POST /patrols/1/checkins',
      'POST /patrols/1/points',
      'POST /patrols/1/stop',
    ])
    expect(server.calls[1].headers['idempotency-key']).toBe('B1')
    expect(server.calls[1].body).toEqual({ batch_id: 'B1', points: [point(1), point(2)] })
    expect(server.calls[0].headers['idempotency-key']).toBe('P1')
    expect(box.state.ops).toBe(0)
    expect(box.state.items).toBe(0)
    expect((await box.patrolFor('P1'))?.id).toBe(1)
  })

  it('keeps everything on a network error and sends it, in order, when the network returns', async () => {
    const box = outbox()
    server.setMode('offline')
    await box.enqueue({ kind: 'patrol.start', patrolClientId: 'P1', body: { client_id: 'P1', started_at: 'x' } })
    await box.flush()
    await box.enqueue({ kind: 'patrol.points', patrolClientId: 'P1', body: { batch_id: 'B1', points: [point(1)] } })
    await box.flush()
    const states: OutboxState[] = []
    box.subscribe((s) => states.push(s))
    expect(box.state.reachable).toBe(false)
    expect(box.state.ops).toBe(2)
    const [head] = await box.pending()
    expect(head.kind).toBe('patrol.start')
    expect(head.attempts).toBe(2)

    server.setMode('ok')
    await box.flush()
    expect(server.paths().slice(-2)).toEqual(['POST /patrols', 'POST /patrols/1/points'])
    expect(box.state).toMatchObject({ ops: 0, reachable: true, lastError: null })
    expect(server.patrols.get('P1')!.points.size).toBe(1)
  })

  it('retries 5xx, 408, 429 and a write that met another, but not 400/403/404/422 or another 409', () => {
    for (const s of [0, 401, 408, 429, 500, 502, 503]) expect(isRetryable(new ApiError(s, 'x')), String(s)).toBe(true)
    for (const s of [400, 403, 404, 409, 422]) expect(isRetryable(new ApiError(s, 'x')), String(s)).toBe(false)
    const problem = (code: string) => ({ type: `https://wangge.dev/problems/${code}`, code, status: 409 })
    expect(isRetryable(new ApiError(409, 'x', problem('write-conflict')))).toBe(true)
    // A 409 the user must settle (the patrol was already ended, an edit met a newer version) stays failed.
    expect(isRetryable(new ApiError(409, 'x', problem('edit-conflict')))).toBe(false)
    expect(isRetryable(new ApiError(409, 'x', problem('patrol-ended')))).toBe(false)
  })

  it('sends the same batch id again after a lost answer, and the server stores each point once', async () => {
    const box = outbox()
    await box.enqueue({ kind: 'patrol.start', patrolClientId: 'P1', body: { client_id: 'P1', started_at: 'x' } })
    await box.flush()
    await box.enqueue({ kind: 'patrol.points', patrolClientId: 'P1', body: { batch_id: 'B1', points: [point(1), point(2)] } })
    server.setMode('lose-answer') // the server stores the batch, the phone never hears back
    await box.flush()
    expect(box.state.ops).toBe(1)
    server.setMode('500')
    await box.flush()
    server.setMode('ok')
    await box.flush()

    const sends = server.calls.filter((c) => c.path.endsWith('/points'))
    expect(sends).toHaveLength(3)
    expect(new Set(sends.map((c) => c.headers['idempotency-key']))).toEqual(new Set(['B1']))
    expect(new Set(sends.map((c) => (c.body as { batch_id: string }).batch_id))).toEqual(new Set(['B1']))
    expect(server.patrols.get('P1')!.points.size).toBe(2)
    expect(box.state.ops).toBe(0)
  })

  it('uploads a finding\'s photo once even when the finding itself must be retried', async () => {
    const box = outbox()
    await box.enqueue({ kind: 'patrol.start', patrolClientId: 'P1', body: { client_id: 'P1', started_at: 'x' } })
    const photo = await photoFromBlob(new Blob([new Uint8Array([255, 216, 255, 0])], { type: 'image/jpeg' }), 'a.jpg')
    await box.enqueue({
      kind: 'patrol.finding',
      patrolClientId: 'P1',
      body: { client_id: 'F1', at: 'x', category: 'sanitation', description: '垃圾', photo_ids: [], handled_on_spot: false },
      photos: [photo],
    })
    server.failNext('/patrols/1/findings', 503)
    await box.flush()
    await box.flush()
    expect(server.paths()).toEqual(['POST /patrols', 'POST /photos', 'POST /patrols/1/findings', 'POST /patrols/1/findings'])
    const sent = server.calls.filter((c) => c.path.endsWith('/findings'))
    expect(sent.map((c) => (c.body as { photo_ids: number[] }).photo_ids)).toEqual([[101], [101]])
    expect(sent.map((c) => c.headers['idempotency-key'])).toEqual(['F1', 'F1'])
    expect(server.findings.size).toBe(1)
  })

  it('moves a permanent failure to the failed list, goes on with the rest and does not retry it', async () => {
    const box = outbox()
    await box.enqueue({ kind: 'patrol.start', patrolClientId: 'P1', body: { client_id: 'P1', started_at: 'x' } })
    await box.enqueue({ kind: 'patrol.checkin', patrolClientId: 'P1', body: { client_id: 'C1', building_id: 999, at: 'x' } })
    await box.enqueue({ kind: 'patrol.points', patrolClientId: 'P1', body: { batch_id: 'B1', points: [point(1)] } })
    server.failNext('/patrols/1/checkins', 422)
    await box.flush()
    expect(server.paths()).toEqual(['POST /patrols', 'POST /patrols/1/checkins', 'POST /patrols/1/points'])
    expect(box.state.ops).toBe(0)
    expect(box.state.failed).toHaveLength(1)
    expect(box.state.failed[0]).toMatchObject({ status: 422, message: 'refused with 422' })
    expect(box.state.failed[0].op.kind).toBe('patrol.checkin')
    await box.flush()
    expect(server.calls).toHaveLength(3)

    await box.dismissFailed(box.state.failed[0].seq)
    expect(box.state.failed).toHaveLength(0)
  })

  it("keeps a refusal's code and the server's detail once, not the detail followed by its field errors", async () => {
    const box = outbox()
    await box.enqueue({ kind: 'matter.create', body: { category: 'sanitation', description: 'd', source: 'field', handled_on_spot: false, photo_ids: [] }, photos: [] })
    server.failNext('/matters', 422, {
      type: 'https://wangge.dev/problems/outside-your-grids',
      code: 'outside-your-grids',
      status: 422,
      detail: '该位置在G2网格，不在您负责的网格内',
      errors: [{ loc: ['body', 'lat'], msg: '该位置在G2网格，不在您负责的网格内', type: 'value_error' }],
    })
    await box.flush()
    expect(box.state.failed).toHaveLength(1)
    expect(box.state.failed[0]).toMatchObject({ status: 422, code: 'outside-your-grids', message: '该位置在G2网格，不在您负责的网格内' })
  })

  it('fails the operations of a patrol whose start was refused, instead of blocking the queue', async () => {
    const box = outbox()
    await box.enqueue({ kind: 'patrol.start', patrolClientId: 'P1', body: { client_id: 'P1', started_at: 'x' } })
    await box.enqueue({ kind: 'patrol.points', patrolClientId: 'P1', body: { batch_id: 'B1', points: [point(1)] } })
    await box.enqueue({ kind: 'matter.create', body: { category: 'sanitation', description: 'd', source: 'field', handled_on_spot: false, photo_ids: [] }, photos: [] })
    server.failNext('/patrols', 403)
    await box.flush()
    expect(box.state.failed.map((f) => f.op.kind)).toEqual(['patrol.start', 'patrol.points'])
    expect(server.paths()).toEqual(['POST /patrols', 'POST /matters'])
  })

  it('survives a reload: a new outbox on the same database sends what the old one left, in order', async () => {
    const before = outbox()
    server.setMode('offline')
    await before.enqueue({ kind: 'patrol.start', patrolClientId: 'P1', body: { client_id: 'P1', started_at: 'x' } })
    await before.enqueue({ kind: 'patrol.points', patrolClientId: 'P1', body: { batch_id: 'B1', points: [point(1), point(2)] } })
    await before.setValue('active', { clientId: 'P1' })
    await before.flush()
    before.close()

    server.setMode('ok')
    const after = outbox()
    expect(await after.getValue('active')).toEqual({ clientId: 'P1' })
    expect((await after.pending()).map((op) => op.kind)).toEqual(['patrol.start', 'patrol.points'])
    await after.enqueue({ kind: 'patrol.stop', patrolClientId: 'P1', body: { ended_at: 'y' } })
    await after.flush()
    expect(server.paths()).toEqual(['POST /patrols', 'POST /patrols', 'POST /patrols/1/points', 'POST /patrols/1/stop'])
    expect(after.state.ops).toBe(0)
  })

  it('retries by itself with back-off and at once on the online event', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }) // IndexedDB (fake) runs on setImmediate
    try {
      const box = new Outbox({ dbName, retryBaseMs: 1000, retryMaxMs: 4000 })
      boxes.push(box)
      box.start()
      server.setMode('offline')
      await box.enqueue({ kind: 'patrol.start', patrolClientId: 'P1', body: { client_id: 'P1', started_at: 'x' } })
      await settle()
      expect(box.state.reachable).toBe(false)
      const tries = () => server.calls.length
      const first = tries()
      await vi.advanceTimersByTimeAsync(1000)
      await settle()
      expect(tries()).toBe(first + 1)
      await vi.advanceTimersByTimeAsync(1999)
      await settle()
      expect(tries()).toBe(first + 1) // the second wait is 2 s
      await vi.advanceTimersByTimeAsync(1)
      await settle()
      expect(tries()).toBe(first + 2)

      server.setMode('ok')
      window.dispatchEvent(new Event('online'))
      await vi.waitFor(() => expect(box.state.ops).toBe(0))
    } finally {
      vi.useRealTimers()
    }
  })
})

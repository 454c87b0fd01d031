// A sweep's tick 逐户排查 through the outbox: kept while the network is away, sent with its own id as Idempotency-Key,
// and the same key again after a lost answer (the server answers the replay without recording the tick twice).
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setAuthHooks } from '@/api/client'
import { Outbox } from './outbox'

let mode: 'offline' | 'lose-answer' | 'ok' = 'ok'
const calls: { path: string; key: string | null; body: unknown }[] = []
const boxes: Outbox[] = []

beforeEach(() => {
  mode = 'ok'
  calls.length = 0
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ path: url.replace('/api/v1', ''), key: new Headers(init.headers).get('Idempotency-Key'), body: JSON.parse(String(init.body)) })
      if (mode === 'offline') throw new TypeError('Failed to fetch')
      if (mode === 'lose-answer') {
        mode = 'ok'
        throw new TypeError('connection reset after the server committed')
      }
      return new Response(JSON.stringify({ id: 7, result: 'normal' }), { status: 200, headers: { 'Content-Type': 'application/json' } })
    }),
  )
  setAuthHooks({ accessToken: () => 'token', refresh: async () => false, onUnauthorized: () => {} })
})

afterEach(() => {
  while (boxes.length) boxes.pop()!.close()
  setAuthHooks(null)
})

describe('sweep.tick in the outbox', () => {
  it('waits offline and arrives with one key however often it is sent', async () => {
    const box = new Outbox({ dbName: `sweep-tick-${Date.now()}`, autoRetry: false })
    boxes.push(box)
    mode = 'offline'
    const op = await box.enqueue({ kind: 'sweep.tick', sweepId: 3, taskId: 7, body: { result: 'normal', ticked_at: '2026-12-02T08:00:00Z' } })
    await box.flush()
    expect(box.state.ops).toBe(1)
    expect((await box.pending()).map((o) => o.kind)).toEqual(['sweep.tick'])

    mode = 'lose-answer'
    await box.flush()
    expect(box.state.ops).toBe(1)
    await box.flush()
    expect(box.state.ops).toBe(0)
    expect(calls.map((c) => c.path)).toEqual(['/sweeps/3/tasks/7/tick', '/sweeps/3/tasks/7/tick', '/sweeps/3/tasks/7/tick'])
    expect(new Set(calls.map((c) => c.key))).toEqual(new Set([op.id]))
    expect(calls[2].body).toEqual({ result: 'normal', ticked_at: '2026-12-02T08:00:00Z' })
  })
})

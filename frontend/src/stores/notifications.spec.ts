import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useNotificationsStore } from './notifications'

function page() {
  return new Response(JSON.stringify({ items: [], total: 0 }), { headers: { 'Content-Type': 'application/json' } })
}

describe('notifications polling', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    setActivePinia(createPinia())
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('asks once however many hold it, every half minute and when shown again, until the last lets go', async () => {
    const fetchMock = vi.fn(async () => page())
    vi.stubGlobal('fetch', fetchMock)
    // The unit tests share one document (test-setup.ts): the listener is looked at, not called by an event that
    // every other listener of the worker would hear too.
    const added = vi.spyOn(document, 'addEventListener')
    const removed = vi.spyOn(document, 'removeEventListener')
    const store = useNotificationsStore()
    const shell = store.startPolling(() => true)
    const bell = store.startPolling(() => true)
    await vi.advanceTimersByTimeAsync(0)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    const shown = added.mock.calls.filter(([type]) => type === 'visibilitychange')
    expect(shown).toHaveLength(1)
    ;(shown[0][1] as () => void)()
    await vi.advanceTimersByTimeAsync(0)
    expect(fetchMock).toHaveBeenCalledTimes(3)
    bell()
    bell() // letting go twice counts once
    await vi.advanceTimersByTimeAsync(30_000)
    expect(fetchMock).toHaveBeenCalledTimes(4) // the shell still holds it
    expect(removed).not.toHaveBeenCalledWith('visibilitychange', shown[0][1])
    shell()
    await vi.advanceTimersByTimeAsync(90_000)
    expect(fetchMock).toHaveBeenCalledTimes(4) // nobody holds it: no timer, and no listener
    expect(removed).toHaveBeenCalledWith('visibilitychange', shown[0][1])
    // Held again, it starts again.
    const again = store.startPolling(() => true)
    await vi.advanceTimersByTimeAsync(0)
    expect(fetchMock).toHaveBeenCalledTimes(5)
    again()
  })

  it('asks nothing while nobody is signed in', async () => {
    const fetchMock = vi.fn(async () => page())
    vi.stubGlobal('fetch', fetchMock)
    const letGo = useNotificationsStore().startPolling(() => false)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fetchMock).not.toHaveBeenCalled()
    letGo()
  })
})

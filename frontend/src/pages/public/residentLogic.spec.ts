import { beforeEach, describe, expect, it } from 'vitest'
import { DRAFT_KEY, EMPTY_DRAFT, MAX_MINE, clearDraft, forgetReport, isEmptyDraft, loadDraft, myReports, rememberReport, saveDraft } from './reportDraft'
import { deviceToken, progressOf, rememberSupport, supportedIds } from './residentLogic'

const photo = {
  id: 3,
  url: '/api/v1/photos/abcdefghijkl/public',
  thumb_url: '/api/v1/photos/abcdefghijkl/thumb',
  token: 'abcdefghijkl',
  width: 800,
  height: 600,
  lat: null,
  lon: null,
  taken_at: null,
  stage: 'before' as const,
}

describe('the report draft', () => {
  beforeEach(() => localStorage.clear())

  it('keeps text, category, place, contact fields and photo tokens across a reload', () => {
    const draft = { category: 'sanitation', description: '垃圾', place: { lat: 28.1, lon: 113 }, address: '3栋', name: '李', phone: '138', photos: [photo] }
    saveDraft(draft)
    expect(loadDraft()).toEqual(draft)
    clearDraft()
    expect(loadDraft()).toEqual(EMPTY_DRAFT)
  })

  it('stores nothing for an empty form and drops damaged values', () => {
    saveDraft({ ...EMPTY_DRAFT, description: '  ' })
    expect(localStorage.getItem(DRAFT_KEY)).toBeNull()
    localStorage.setItem(DRAFT_KEY, JSON.stringify({ category: 'DROP TABLE', place: { lat: 'x', lon: 1 }, photos: [{ token: 1 }, photo], description: 5 }))
    expect(loadDraft()).toEqual({ ...EMPTY_DRAFT, photos: [photo] })
    localStorage.setItem(DRAFT_KEY, '{not json')
    expect(isEmptyDraft(loadDraft())).toBe(true)
  })
})

describe('my reports', () => {
  beforeEach(() => localStorage.clear())

  it('lists the codes sent from this device, newest first, once each', () => {
    rememberReport('WG1', 't1', '2026-03-01T00:00:00Z')
    rememberReport('WG2', 't2', '2026-03-02T00:00:00Z')
    rememberReport('WG1', 't1b', '2026-03-03T00:00:00Z')
    expect(myReports()).toEqual([
      { code: 'WG1', token: 't1b', at: '2026-03-01T00:00:00Z' },
      { code: 'WG2', token: 't2', at: '2026-03-02T00:00:00Z' },
    ])
    expect(forgetReport('WG1').map((r) => r.code)).toEqual(['WG2'])
  })

  it('keeps at most MAX_MINE', () => {
    for (let i = 0; i < MAX_MINE + 5; i++) rememberReport(`WG${i}`, 't')
    expect(myReports()).toHaveLength(MAX_MINE)
    expect(myReports()[0].code).toBe(`WG${MAX_MINE + 4}`)
  })
})

describe('the device token and me too', () => {
  beforeEach(() => localStorage.clear())

  it('is made once, URL-safe, and kept', () => {
    const token = deviceToken(() => new Uint8Array(24).fill(251))
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(deviceToken(() => new Uint8Array(24))).toBe(token)
  })

  it('remembers which reports this device supported', () => {
    rememberSupport(4)
    rememberSupport(9)
    rememberSupport(4)
    expect(supportedIds()).toEqual([9, 4])
  })
})

describe('the progress steps', () => {
  it('places each status on 受理 → 处理中 → 办结 → 评价', () => {
    expect(progressOf({ status: 'submitted', next_due_at: '2026-03-02T08:00:00Z' })).toEqual({ done: 0, current: 'received', nextDue: '2026-03-02T08:00:00Z' })
    expect(progressOf({ status: 'handling', next_due_at: '2026-03-05T08:00:00Z' })).toEqual({ done: 1, current: 'handling', nextDue: '2026-03-05T08:00:00Z' })
    expect(progressOf({ status: 'public_notice' }).current).toBe('handling')
    expect(progressOf({ status: 'resolved', next_due_at: 'x' })).toEqual({ done: 3, current: 'rated', nextDue: null })
    expect(progressOf({ status: 'resolved', rating: 'satisfied' })).toEqual({ done: 4, current: null, nextDue: null })
    expect(progressOf({ status: 'closed' }).done).toBe(4)
  })
})

import { describe, expect, it } from 'vitest'
import { IMPORT_COLUMNS, importType, lastWeek, rangeProblem, reasonKey, REQUIRED_COLUMNS, resultsFileName } from './hotlineLogic'

describe('importType', () => {
  it('sends JSON by its name or its type', () => {
    expect(importType('orders.JSON', '')).toBe('application/json')
    expect(importType('orders', 'application/json')).toBe('application/json')
  })
  it('sends a CSV (or plain text) as CSV', () => {
    expect(importType('工单.csv', '')).toBe('text/csv')
    expect(importType('orders.txt', 'text/plain')).toBe('text/csv')
    expect(importType('export', 'text/csv')).toBe('text/csv')
  })
  it('refuses anything else', () => {
    expect(importType('orders.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBeNull()
    expect(importType('photo.jpg', 'image/jpeg')).toBeNull()
  })
})

describe('the CSV header', () => {
  it('is the server’s, the required columns first', () => {
    expect(IMPORT_COLUMNS.slice(0, 3)).toEqual([...REQUIRED_COLUMNS])
    expect(IMPORT_COLUMNS).toContain('community_code')
    expect(IMPORT_COLUMNS).toHaveLength(10)
  })
})

describe('reasonKey', () => {
  it('names the words of a known code', () => {
    expect(reasonKey({ code: 'order-twice' })).toBe('hotline.reasons.order-twice')
    expect(reasonKey({ code: 'outside-scope' })).toBe('hotline.reasons.outside-scope')
  })
  it('is null for no code or one the app does not know', () => {
    expect(reasonKey({ code: null })).toBeNull()
    expect(reasonKey({})).toBeNull()
    expect(reasonKey({ code: 'something-new' })).toBeNull()
  })
})

describe('rangeProblem', () => {
  it('needs both days, in order, at most a year and a day apart', () => {
    expect(rangeProblem('', '2026-12-01')).toBe('missing')
    expect(rangeProblem('2026-12-02', '2026-12-01')).toBe('order')
    expect(rangeProblem('2025-01-01', '2026-01-03')).toBe('tooLong')
    expect(rangeProblem('2025-12-01', '2026-12-01')).toBeNull()
    expect(rangeProblem('2026-12-01', '2026-12-01')).toBeNull()
  })
})

describe('lastWeek', () => {
  it('is the seven days to today in Beijing, whatever the browser’s zone', () => {
    expect(lastWeek(new Date('2026-12-01T03:00:00Z'))).toEqual({ since: '2026-11-25', until: '2026-12-01' })
    // 01:55 on 2 December in Beijing is still 1 December in UTC.
    expect(lastWeek(new Date('2026-12-01T17:55:00Z'))).toEqual({ since: '2026-11-26', until: '2026-12-02' })
    expect(lastWeek(new Date('2026-01-03T02:00:00Z'))).toEqual({ since: '2025-12-28', until: '2026-01-03' })
  })
})

describe('resultsFileName', () => {
  it('says the range', () => {
    expect(resultsFileName('2026-11-25', '2026-12-01')).toBe('hotline-results-2026-11-25-2026-12-01.csv')
  })
})

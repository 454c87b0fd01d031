import { describe, expect, it } from 'vitest'
import { parseDateTime, parseDay, parseTime, withinBounds } from './dateField'

describe('a typed day', () => {
  it('reads the usual ways of writing a day into YYYY-MM-DD', () => {
    expect(parseDay('2026-12-01')).toBe('2026-12-01')
    expect(parseDay(' 2026/12/1 ')).toBe('2026-12-01')
    expect(parseDay('2026.2.3')).toBe('2026-02-03')
    expect(parseDay('20261201')).toBe('2026-12-01')
  })

  it('refuses what is no real day, a half-typed one and one outside the bounds', () => {
    expect(parseDay('2026-02-30')).toBeNull()
    expect(parseDay('2026-13-01')).toBeNull()
    expect(parseDay('2026-12')).toBeNull()
    expect(parseDay('12/01/2026')).toBeNull()
    expect(parseDay('2026-12-01', '2026-12-02')).toBeNull()
    expect(parseDay('2026-12-01', undefined, '2026-11-30')).toBeNull()
    expect(parseDay('2026-12-01', '2026-12-01', '2026-12-01')).toBe('2026-12-01')
  })

  it('moves a day inside the bounds', () => {
    expect(withinBounds('2026-12-01', '2026-12-05')).toBe('2026-12-05')
    expect(withinBounds('2026-12-01', undefined, '2026-11-05')).toBe('2026-11-05')
    expect(withinBounds('2026-12-01')).toBe('2026-12-01')
  })
})

describe('a typed time and a day with its time', () => {
  it('reads a time of day', () => {
    expect(parseTime('9:05')).toBe('09:05')
    expect(parseTime('0905')).toBe('09:05')
    expect(parseTime('18：30')).toBe('18:30')
    expect(parseTime('24:00')).toBeNull()
    expect(parseTime('9:5')).toBeNull()
  })

  it('reads a day and a time, with a space or a T', () => {
    expect(parseDateTime('2026-12-01 9:05')).toBe('2026-12-01T09:05')
    expect(parseDateTime('2026-12-01T09:05')).toBe('2026-12-01T09:05')
    expect(parseDateTime('2026-12-01')).toBeNull()
    expect(parseDateTime('2026-12-01 09:05', '2026-12-01T10:00')).toBeNull()
  })
})

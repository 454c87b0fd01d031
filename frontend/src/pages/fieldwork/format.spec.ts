import { describe, expect, it } from 'vitest'
import { beijingToday, formatDistance, formatShare, localDateTimeInput, mondayOf, sharePercent } from './format'

// The messages' shape, without the i18n plugin: "{n} 米" / "{n} 公里".
const t = (key: string, values?: Record<string, unknown>) => `${values?.n} ${key === 'patrol.metres' ? 'm' : 'km'}`

describe('distance', () => {
  it('is in metres below a kilometre, rounded', () => {
    expect(formatDistance(0, t)).toBe('0 m')
    expect(formatDistance(412.6, t)).toBe('413 m')
    expect(formatDistance(999.4, t)).toBe('999 m')
  })

  it('is in kilometres with two decimals from a kilometre', () => {
    expect(formatDistance(1000, t)).toBe('1.00 km')
    expect(formatDistance(2345.6, t)).toBe('2.35 km')
  })
})

describe('covered share', () => {
  it('reads a 0…1 share as a whole percentage', () => {
    expect(formatShare(0)).toBe('0%')
    expect(formatShare(0.42)).toBe('42%')
    expect(formatShare(0.1234)).toBe('12%')
    expect(formatShare(1)).toBe('100%')
  })

  it('never shows a little coverage as 0% nor an incomplete one as 100%', () => {
    expect(formatShare(0.001)).toBe('<1%')
    expect(formatShare(0.999)).toBe('>99%')
  })

  it('clamps the bar to 0…100 and survives bad numbers', () => {
    expect(sharePercent(0.5)).toBe(50)
    expect(sharePercent(1.3)).toBe(100)
    expect(sharePercent(-0.2)).toBe(0)
    expect(sharePercent(Number.NaN)).toBe(0)
    expect(formatShare(Number.NaN)).toBe('0%')
  })
})

describe('days', () => {
  it('takes today in Beijing, whatever the device', () => {
    expect(beijingToday(new Date('2026-03-01T15:59:00Z'))).toBe('2026-03-01')
    expect(beijingToday(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02')
  })

  it('finds the Monday of a week', () => {
    expect(mondayOf('2026-03-04')).toBe('2026-03-02') // a Wednesday
    expect(mondayOf('2026-03-08')).toBe('2026-03-02') // the Sunday
    expect(mondayOf('2026-03-02')).toBe('2026-03-02')
  })

  it('fills a datetime-local input', () => {
    expect(localDateTimeInput(new Date(2026, 2, 1, 9, 5))).toBe('2026-03-01T09:05')
  })
})

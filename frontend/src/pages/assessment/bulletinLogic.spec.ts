import { describe, expect, it } from 'vitest'
import { beijingMinute, figureText, scoreText, unlisted } from './bulletinLogic'

describe('bulletinLogic', () => {
  it('prints a rate with its numerator and denominator, so 100 % of 2 is not 100 % of 200', () => {
    expect(figureText({ num: 2, den: 2, value: 1 })).toBe('100.0%（2/2）')
    expect(figureText({ num: 2, den: 2, value: 1 }, 'en')).toBe('100.0% (2/2)')
    expect(figureText({ num: 199, den: 200, value: 0.995 })).toBe('99.5%（199/200）')
    expect(figureText({ num: 0, den: 0, value: null })).toBe('—（0/0）')
  })

  it('prints counts as they are and missing figures as a dash', () => {
    expect(figureText(7)).toBe('7')
    expect(figureText(0)).toBe('0')
    expect(figureText(undefined)).toBe('—')
    expect(figureText({ grid: 1 })).toBe('—')
  })

  it('prints a score to one decimal, or a dash when the unit was not scored', () => {
    expect(scoreText(87.25)).toBe('87.3')
    expect(scoreText(null)).toBe('—')
  })

  it('counts the overdue matters the page leaves out', () => {
    expect(unlisted(120, 100)).toBe(20)
    expect(unlisted(3, 3)).toBe(0)
  })

  it('shows instants in Beijing time', () => {
    expect(beijingMinute('2026-11-30T09:05:00+00:00')).toBe('2026-11-30 17:05')
    expect(beijingMinute('2026-11-30T20:00:00Z')).toBe('2026-12-01 04:00')
    expect(beijingMinute(null)).toBe('—')
  })
})

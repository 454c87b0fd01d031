import { describe, expect, it } from 'vitest'
import { yearsText } from './calendarLogic'

describe('known years', () => {
  it('are said as runs', () => {
    expect(yearsText([2003, 2001, 2002, 2005, 2007, 2008])).toBe('2001–2003、2005、2007–2008')
    expect(yearsText([2026])).toBe('2026')
    expect(yearsText([])).toBe('')
  })
})

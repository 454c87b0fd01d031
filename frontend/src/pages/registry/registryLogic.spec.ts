import { describe, expect, it } from 'vitest'
import type { House } from '@/api/registry'
import { daysUntil, emptyPerson, householdCount, personBody, validIdNumber } from './registryLogic'

describe('validIdNumber', () => {
  it('accepts the check character of GB 11643 and refuses a wrong one', () => {
    expect(validIdNumber('11010519491231002X')).toBe(true)
    expect(validIdNumber('11010519491231002x')).toBe(true)
    expect(validIdNumber('110105194912310021')).toBe(false)
    expect(validIdNumber('11010519491231002')).toBe(false)
  })
})

describe('personBody', () => {
  it('leaves out empty fields and the renewal of a registered resident', () => {
    const f = { ...emptyPerson('3'), name: ' 张三 ', registration_due: '2026-12-31' }
    expect(personBody(f)).toEqual({ name: '张三', residence: 'registered', relation: 'head', house_id: 3 })
  })
  it('is null without a name or house, or with a bad identity number', () => {
    expect(personBody(emptyPerson('3'))).toBeNull()
    expect(personBody({ ...emptyPerson(''), name: '张三' })).toBeNull()
    expect(personBody({ ...emptyPerson('3'), name: '张三', id_number: '110105194912310021' })).toBeNull()
  })
  it('keeps a floating resident’s renewal day and upper-cases the x', () => {
    const f = { ...emptyPerson('3'), name: '李四', residence: 'floating' as const, registration_due: '2026-12-31', id_number: '11010519491231002x' }
    expect(personBody(f)).toMatchObject({ registration_due: '2026-12-31', id_number: '11010519491231002X' })
  })
})

describe('householdCount and daysUntil', () => {
  it('counts lived-in houses and their people', () => {
    const h = (n: number) => ({ residents: Array.from({ length: n }, (_, i) => ({ id: i })) }) as unknown as House
    expect(householdCount([h(2), h(0), h(1)])).toEqual({ households: 2, people: 3 })
  })
  it('counts days, negative when overdue', () => {
    expect(daysUntil('2026-12-10', '2026-12-02')).toBe(8)
    expect(daysUntil('2026-11-30', '2026-12-02')).toBe(-2)
  })
})

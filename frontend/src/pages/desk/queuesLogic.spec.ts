import { describe, expect, it } from 'vitest'
import { afterCallback, ANSWERS, callbackOutcomeKey, applicationDay, callbackBody, refusalReason, triesText, withoutRow } from './queuesLogic'

describe('refusalReason', () => {
  it('is null while blank and the trimmed text otherwise', () => {
    expect(refusalReason('')).toBeNull()
    expect(refusalReason('   \n')).toBeNull()
    expect(refusalReason('  材料不全 ')).toBe('材料不全')
  })
  it('keeps at most what the server takes', () => {
    expect(refusalReason('长'.repeat(2500))).toHaveLength(2000)
  })
})

describe('callbackBody', () => {
  it('waits for an answer', () => {
    expect(callbackBody('', '说了很多')).toBeNull()
  })
  it('sends the note only when there is one', () => {
    expect(callbackBody('satisfied', '  ')).toEqual({ answer: 'satisfied' })
    expect(callbackBody('not_satisfied', ' 还在漏水 ')).toEqual({ answer: 'not_satisfied', note: '还在漏水' })
  })
  it('offers the four answers, satisfied first and unreachable last', () => {
    expect(ANSWERS).toEqual(['satisfied', 'basically_satisfied', 'not_satisfied', 'unreachable'])
  })
})

describe('afterCallback', () => {
  it('takes the row away once the matter moved on', () => {
    expect(afterCallback('closed', 0)).toEqual({ gone: true })
    expect(afterCallback('handling', null)).toEqual({ gone: true })
    expect(afterCallback('at_station', 1)).toEqual({ gone: true })
  })
  it('keeps an unreachable one with its tries, this one counted', () => {
    expect(afterCallback('resolved', 1)).toEqual({ gone: false, tries: 2 })
    expect(afterCallback('resolved', undefined)).toEqual({ gone: false, tries: 1 })
  })
})

describe('callbackOutcomeKey', () => {
  it('says closed, closed unrated after the tries, or reopened', () => {
    expect(callbackOutcomeKey('satisfied', 'closed')).toBe('queues.closedByCallback')
    expect(callbackOutcomeKey('basically_satisfied', 'closed')).toBe('queues.closedByCallback')
    expect(callbackOutcomeKey('unreachable', 'closed')).toBe('queues.closedUnreachable')
    expect(callbackOutcomeKey('not_satisfied', 'handling')).toBe('queues.reopenedByCallback')
  })
})

describe('withoutRow', () => {
  it('drops only the decided row', () => {
    expect(withoutRow([{ id: 1 }, { id: 2 }, { id: 3 }], 2)).toEqual([{ id: 1 }, { id: 3 }])
    expect(withoutRow([{ id: 1 }], 9)).toEqual([{ id: 1 }])
  })
})

describe('applicationDay', () => {
  it('names the Beijing day of the end of day the server stores', () => {
    expect(applicationDay('2026-12-10T15:59:59Z')).toBe('2026-12-10')
    expect(applicationDay('2026-12-10T23:59:59+08:00')).toBe('2026-12-10')
  })
  it('is empty for nothing and the text itself for what is not a date', () => {
    expect(applicationDay(null)).toBe('')
    expect(applicationDay('later')).toBe('later')
  })
})

describe('triesText', () => {
  const t = (key: string, values: { n: number }) => `${key}:${values.n}`
  it('counts the unanswered calls, and shows a dash before the first', () => {
    expect(triesText(2, t)).toBe('queues.triesN:2')
    expect(triesText(0, t)).toBe('—')
    expect(triesText(null, t)).toBe('—')
  })
})

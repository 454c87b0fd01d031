import { afterEach, describe, expect, it } from 'vitest'
import { i18n, loadSection, setLocale } from '@/i18n'
import { failedText, outsideOwnGrids, quickDescription } from './quickLogic'

await loadSection('field')

const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})

describe('quick report', () => {
  afterEach(() => setLocale('zh-CN'))

  it('names a report with no words after its category, not by the category alone', () => {
    expect(quickDescription('  ', '环境卫生', t)).toBe('随手拍：环境卫生')
    expect(quickDescription(' 垃圾桶满溢 ', '环境卫生', t)).toBe('垃圾桶满溢')
  })

  it("warns about a point outside the leader's own and covered grids, naming the grid it is in", () => {
    const own = new Set([1, 7])
    expect(outsideOwnGrids({ grid: { id: 1, name: 'G1a网格' } }, own)).toBeNull()
    expect(outsideOwnGrids({ grid: { id: 7, name: '代岗网格' } }, own)).toBeNull()
    expect(outsideOwnGrids({ grid: { id: 2, name: 'G1b网格' } }, own)).toEqual({ grid: 'G1b网格' })
    expect(outsideOwnGrids({ grid: null }, own)).toEqual({ grid: null })
  })

  it("shows a refusal once, in the app's words for its code, the server's detail only as a fallback", () => {
    const refused = { status: 422, code: 'outside-your-grids', message: 'The place is in G2 of C1, which is not one of your grids' }
    expect(failedText(refused)).toBe('该位置不在您负责的网格内，请转告所属网格或服务站')
    expect(failedText({ status: 422, code: 'some-new-code', message: '服务器的说明' })).toBe('服务器的说明')
    expect(failedText({ status: 422, message: 'stored before codes were kept' })).toBe('stored before codes were kept')
    setLocale('en')
    expect(failedText(refused)).toBe('The place is not in one of your grids; tell that grid or the station')
  })
})

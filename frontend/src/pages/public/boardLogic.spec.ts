import { describe, expect, it } from 'vitest'
import { communityFromParam, monthText, percent, telHref } from './boardLogic'

describe('boardLogic', () => {
  it('shows a rate to one decimal, and a dash when nothing was counted', () => {
    expect(percent({ num: 19, den: 20, value: 0.95 })).toBe('95%')
    expect(percent({ num: 2, den: 3, value: 0.6667 })).toBe('66.7%')
    expect(percent({ num: 0, den: 0, value: null })).toBe('—')
    expect(percent(null)).toBe('—')
  })

  it('names the month in the language of the page', () => {
    expect(monthText('2026-11', 'zh-CN')).toBe('2026年11月')
    expect(monthText('2026-11', 'en')).toBe('November 2026')
    expect(monthText('oops', 'zh-CN')).toBe('oops')
  })

  it('reads the community from the address, refusing anything but a positive id', () => {
    expect(communityFromParam('12')).toBe(12)
    expect(communityFromParam(['7'])).toBe(7)
    expect(communityFromParam('')).toBeNull()
    expect(communityFromParam('0')).toBeNull()
    expect(communityFromParam('12abc')).toBeNull()
    expect(communityFromParam(undefined)).toBeNull()
  })

  it('dials only digits', () => {
    expect(telHref('0731-8888 1234')).toBe('tel:073188881234')
    expect(telHref('+86 139')).toBe('tel:+86139')
  })
})

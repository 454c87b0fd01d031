import { describe, expect, it } from 'vitest'
import zhCN from './zh-CN'
import en from './en'
import { i18n, LOCALE_STORAGE_KEY, setLocale, toggleLocale } from './index'

function flatten(tree: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (value && typeof value === 'object') Object.assign(out, flatten(value, path))
    else out[path] = String(value)
  }
  return out
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('messages', () => {
  const zh = flatten(zhCN)
  const english = flatten(en)

  it('zh-CN and en have exactly the same keys', () => {
    expect(Object.keys(english).sort()).toEqual(Object.keys(zh).sort())
    expect(Object.keys(zh).length).toBeGreaterThan(50)
  })

  it('no message is empty and both languages use the same placeholders', () => {
    for (const key of Object.keys(zh)) {
      expect(zh[key], key).not.toBe('')
      expect(english[key], key).not.toBe('')
      expect(placeholders(english[key]), key).toEqual(placeholders(zh[key]))
    }
  })

  it('uses the domain words', () => {
    expect(zh['grid.households']).toBe('户数')
    expect(zh['grid.floatingPopulation']).toBe('流动人口')
    expect(zh['grid.kinds.property_managed']).toBe('物管小区')
    expect(zh['roles.station_chief']).toBe('服务站站长')
    expect(zh['nav.map']).toBe('地图')
    expect(english['nav.me']).toBe('Me')
    expect(english['auth.submit']).toBe('Log in')
  })
})

describe('locale switch', () => {
  it('defaults to zh-CN and persists the choice and <html lang>', () => {
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(i18n.global.t('nav.map')).toBe('地图')

    expect(toggleLocale()).toBe('en')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en')
    expect(document.documentElement.lang).toBe('en')
    expect(i18n.global.t('nav.map')).toBe('Map')

    setLocale('zh-CN')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
  })
})

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { iconGlyphs, iconsInUse, namedIcons, splitFontFace, unicodeRange } from './vant-icon-font'

const here = dirname(fileURLToPath(import.meta.url))
const modules = join(here, '../node_modules')
const iconCss = join(modules, 'vant/es/icon/index.css')
const options = { modules, sources: [join(here, '../src')], extra: [join(here, '../../backend/wangge/matters/seed.py')] }

describe('Vant’s icon font in two parts', () => {
  it('reads each icon’s character from Vant’s stylesheet', () => {
    const icons = iconGlyphs('.van-icon-edit:before{content:"\\e6a4"}.van-icon-arrow-left:before{content:"\\e668"}')
    expect([...icons]).toEqual([
      ['edit', 0xe6a4],
      ['arrow-left', 0xe668],
    ])
    expect(iconGlyphs(readFileSync(iconCss, 'utf8')).size).toBeGreaterThan(200)
  })

  it('counts the icon names quoted in code, and nothing else', () => {
    const icons = new Map([
      ['edit', 1],
      ['plus', 2],
      ['photo-o', 3],
    ])
    const code = `<Icon name="edit" /><Button :icon="open ? 'plus' : 'minus'">{{ t('edit.title') }}</Button> photo-o`
    expect([...namedIcons(code, icons)].sort()).toEqual(['edit', 'plus'])
  })

  it('writes runs of characters as ranges', () => {
    expect(unicodeRange([0xe653, 0xe660, 0xe654, 0xe655, 0xe653])).toBe('U+e653-e655,U+e660')
  })

  it('declares the rest first, limited to its characters, and the inlined icons last, with Vant’s descriptors', () => {
    const face =
      '@font-face{font-weight:400;font-family:vant-icon;font-style:normal;font-display:auto;src:url(data:font/woff2;charset=utf-8;base64,AAAA) format("woff2")}'
    expect(splitFontFace(face, { data: 'BBBB' }, { url: './rest.woff2', range: 'U+e600-e6ff' })).toBe(
      '@font-face{font-weight:400;font-family:vant-icon;font-style:normal;font-display:auto;src:url(./rest.woff2) format("woff2");unicode-range:U+e600-e6ff}' +
        '@font-face{font-weight:400;font-family:vant-icon;font-style:normal;font-display:auto;src:url(data:font/woff2;base64,BBBB) format("woff2")}',
    )
  })

  it('inlines the icons of our screens, of the Vant components we use and of the categories a fresh install ships', () => {
    const used = iconsInUse(options, iconGlyphs(readFileSync(iconCss, 'utf8')))
    // The tab bar's (components/navItems.ts), the nav bar's back arrow (Vant), the sanitation category's (seed).
    for (const name of ['location-o', 'todo-list-o', 'user-o', 'arrow-left', 'delete-o', 'question-o']) expect(used).toContain(name)
    // No code of ours names these: an administrator may still give a category one of them.
    for (const name of ['gem-o', 'tv-o', 'wechat-pay']) expect(used).not.toContain(name)
  })
  // The transform itself (subset-font's WebAssembly wants Node's own buffers, not jsdom's) is checked on the real
  // build: tests/browser/test_weight.py.
})

import { describe, expect, it } from 'vitest'
import { isOurScript, styleImports, styleOf } from './vant-styles'

describe('Vant styles on demand', () => {
  it('imports the styles of each component and function a module takes from vant, once, in order', () => {
    const code = `import { Button, CellGroup, showToast, showConfirmDialog } from 'vant'
import { Locale as VantLocale, type ButtonProps, showFailToast, useCustomFieldValue } from "vant";
import type { FieldInstance } from 'vant'
import { Button as Knopf } from 'vant'`
    expect(styleImports(code)).toEqual([
      'vant/es/button/style/index.mjs',
      'vant/es/cell-group/style/index.mjs',
      'vant/es/toast/style/index.mjs',
      'vant/es/dialog/style/index.mjs',
    ])
  })

  it('refuses a name it cannot place rather than leave a screen unstyled', () => {
    expect(styleOf('PullRefresh')).toBe('pull-refresh')
    expect(() => styleOf('showSomethingNew')).toThrow(/no style is known/)
  })

  it('leaves modules without a vant import alone', () => {
    expect(styleImports(`import { ref } from 'vue'\nconst vant = 'vant'`)).toEqual([])
  })

  it('reads the script of a single-file component, where a build puts its imports, and not its styles', () => {
    expect(isOurScript('/app/src/pages/ReportPage.vue?vue&type=script&setup=true&lang.ts')).toBe(true)
    expect(isOurScript('/app/src/pages/ReportPage.vue')).toBe(true)
    expect(isOurScript('/app/src/api/client.ts')).toBe(true)
    expect(isOurScript('/app/src/pages/ReportPage.vue?vue&type=style&index=0&scoped=abc&lang.css')).toBe(false)
    expect(isOurScript('/app/node_modules/vant/es/button/Button.mjs')).toBe(false)
    expect(isOurScript('/app/src/styles/base.css')).toBe(false)
  })
})

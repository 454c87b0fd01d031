import { describe, expect, it } from 'vitest'
import { styleImports, styleOf } from './vant-styles'

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
})

// Vant's styles on demand: each module that imports components or functions from 'vant' also imports the styles of
// exactly those (vant/es/<component>/style/index.mjs, which brings the base and the styles they depend on), so a
// screen loads the CSS of what it shows and not the whole stylesheet (the first screen of a phone on a weak network
// pays for every byte). Vant's own resolver (@vant/auto-import-resolver) only sees components used in templates
// without an import, and not functions such as showToast; every one of ours is imported by name.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin } from 'vite'

/** Functions whose styles are those of the component they open. */
const FUNCTION_STYLES: Record<string, string> = {
  showToast: 'toast',
  showLoadingToast: 'toast',
  showSuccessToast: 'toast',
  showFailToast: 'toast',
  closeToast: 'toast',
  showDialog: 'dialog',
  showConfirmDialog: 'dialog',
  closeDialog: 'dialog',
  showImagePreview: 'image-preview',
  showNotify: 'notify',
  closeNotify: 'notify',
}
/** Exports with no style of their own. */
const UNSTYLED = new Set(['Locale', 'ConfigProvider', 'setToastDefaultOptions', 'allowMultipleToast'])

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*["']vant["'];?/g

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
}

/** The style folder of one named export of 'vant', or null when it has none. Throws on a name it cannot place. */
export function styleOf(name: string): string | null {
  if (UNSTYLED.has(name) || /^use[A-Z]/.test(name) || /^[A-Z]\w*(Props|Instance|Type|Options)$/.test(name)) return null
  if (name in FUNCTION_STYLES) return FUNCTION_STYLES[name]
  if (/^[A-Z]/.test(name)) return kebab(name)
  throw new Error(`vant-styles: no style is known for '${name}' (add it to FUNCTION_STYLES or UNSTYLED)`)
}

/** The style imports that the `import { … } from 'vant'` statements of `code` need, in order, without repeats. */
export function styleImports(code: string): string[] {
  const folders: string[] = []
  for (const match of code.matchAll(IMPORT)) {
    for (const part of match[1].split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]
      if (!name || part.trim().startsWith('type ')) continue
      const folder = styleOf(name)
      if (folder && !folders.includes(folder)) folders.push(folder)
    }
  }
  return folders.map((folder) => `vant/es/${folder}/style/index.mjs`)
}

/** Our own TypeScript modules and the script of our single-file components: in a build, plugin-vue hands a
 * component's <script> on as its own module (`X.vue?vue&type=script&setup=true&lang.ts`), and that is where its
 * imports are; the `.vue` module itself only imports that. Styles, templates and node_modules are not ours. */
export function isOurScript(id: string): boolean {
  if (id.includes('/node_modules/') || id.startsWith('\0')) return false
  const [path, query = ''] = id.split('?', 2)
  if (path.endsWith('.ts')) return query === ''
  if (path.endsWith('.vue')) return query === '' || /(^|&)type=script(&|$)/.test(query)
  return false
}

export function vantStyles(modules: string): Plugin {
  return {
    name: 'wangge:vant-styles',
    // Not under vitest: it loads vant from node_modules as it is, and Node cannot import a stylesheet.
    apply: (_config, env) => env.mode !== 'test',
    transform(code, id) {
      if (!isOurScript(id)) return null
      const imports = styleImports(code)
      if (imports.length === 0) return null
      for (const path of imports) {
        if (!existsSync(join(modules, path))) this.error(`vant-styles: ${path} does not exist (imported by ${id})`)
      }
      return { code: imports.map((path) => `import '${path}';\n`).join('') + code, map: null }
    },
  }
}

// Vant's icon font in two parts. Vant inlines all of its 259 icons (25 KB of woff2) in the stylesheet that every
// screen loads, and a first screen shows a dozen. The build keeps inlined only the icons that our code, the Vant
// components we use and the categories a fresh install ships can name, and puts the others in a file of their own;
// each part's @font-face says which characters it has (unicode-range), so the browser fetches the second file only
// when a screen shows one of its icons (an administrator may give a category any Vant icon). Nothing is lost: every
// icon still shows, the rare ones after a small fetch. tests/browser/test_weight.py holds the first screens to 200 KB.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import type { Plugin } from 'vite'
import { styleImports } from './vant-styles.ts'

const ICON_CSS = /[\\/]vant[\\/]es[\\/]icon[\\/]index\.css$/
const GLYPH = /\.van-icon-([a-z0-9-]+):before\s*\{\s*content:\s*"\\([0-9a-f]+)"\s*;?\s*\}/g
const FONT_FACE = /@font-face\s*\{[^}]*font-family:\s*["']?vant-icon["']?[^}]*\}/
const WOFF2_DATA = /url\(["']?data:font\/woff2;[^,]*base64,([A-Za-z0-9+/=]+)["']?\)/
/** A name in quotes ('edit', "edit", `edit`) or an attribute (icon="edit"): what may name an icon. */
const QUOTED = /(["'`])([a-z0-9-]+)\1/g

/** Each icon of Vant's stylesheet and its character: `.van-icon-edit:before{content:"\e6xx"}`. */
export function iconGlyphs(css: string): Map<string, number> {
  return new Map([...css.matchAll(GLYPH)].map((m) => [m[1], parseInt(m[2], 16)]))
}

/** The icons that `code` names in quotes (over-counting is harmless: such an icon is merely inlined). */
export function namedIcons(code: string, icons: ReadonlyMap<string, number>): Set<string> {
  return new Set([...code.matchAll(QUOTED)].map((m) => m[2]).filter((name) => icons.has(name)))
}

/** A CSS unicode-range of the characters, runs joined: `U+e653-e654,U+e660`. */
export function unicodeRange(chars: Iterable<number>): string {
  const sorted = [...new Set(chars)].sort((a, b) => a - b)
  const runs: [number, number][] = []
  for (const c of sorted) {
    const last = runs[runs.length - 1]
    if (last && c === last[1] + 1) last[1] = c
    else runs.push([c, c])
  }
  return runs.map(([a, b]) => (a === b ? `U+${a.toString(16)}` : `U+${a.toString(16)}-${b.toString(16)}`)).join(',')
}

/** Vant's @font-face as two: the rest at `restUrl`, limited to its characters, and the icons in use inlined. The
 * browser looks a character up in the face declared last first, and in the rest only when that one lacks it; it
 * fetches the rest only for a character of its unicode-range that a page shows. */
export function splitFontFace(face: string, inlined: { data: string }, rest: { url: string; range: string }): string {
  // The face's descriptors but its sources (whose data: URLs hold semicolons of their own).
  const descriptors = [...face.matchAll(/(font-(?:family|weight|style|display|stretch)\s*:[^;}]+)/g)].map((m) => m[1]).join(';')
  const restFace = `@font-face{${descriptors};src:url(${rest.url}) format("woff2");unicode-range:${rest.range}}`
  return `${restFace}@font-face{${descriptors};src:url(data:font/woff2;base64,${inlined.data}) format("woff2")}`
}

function filesUnder(dir: string, accept: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return []
  return (readdirSync(dir, { recursive: true }) as string[]).filter(accept).map((file) => join(dir, file))
}

/** The Vant component folders that our modules use, with those their styles say they are made of. */
function vantFolders(modules: string, ourFiles: string[]): Set<string> {
  const folders = new Set<string>()
  const pending = ourFiles.flatMap((file) => styleImports(readFileSync(file, 'utf8')).map((path) => path.split('/')[2]))
  while (pending.length) {
    const folder = pending.pop()!
    if (folders.has(folder)) continue
    folders.add(folder)
    const style = join(modules, 'vant/es', folder, 'style/index.mjs')
    if (!existsSync(style)) continue
    for (const m of readFileSync(style, 'utf8').matchAll(/"\.\.\/\.\.\/([a-z-]+)\/index\.css"/g)) pending.push(m[1])
  }
  return folders
}

export interface IconFontOptions {
  /** node_modules */
  modules: string
  /** Folders of our code (.vue, .ts; specs left out). */
  sources: string[]
  /** Further files whose quoted names are icons shown (the categories a fresh install ships). */
  extra: string[]
}

/** The icons our code can name: the first part of the font. */
export function iconsInUse(options: IconFontOptions, icons: ReadonlyMap<string, number>): Set<string> {
  const ours = options.sources.flatMap((dir) => filesUnder(dir, (f) => /\.(vue|ts)$/.test(f) && !f.endsWith('.spec.ts')))
  const vant = [...vantFolders(options.modules, ours)].flatMap((folder) =>
    filesUnder(join(options.modules, 'vant/es', folder), (f) => f.endsWith('.mjs') && !f.includes('style')),
  )
  const used = new Set<string>()
  for (const file of [...ours, ...vant, ...options.extra]) {
    for (const name of namedIcons(readFileSync(file, 'utf8'), icons)) used.add(name)
  }
  return used
}

export function vantIconFont(options: IconFontOptions): Plugin {
  let cacheDir = ''
  return {
    name: 'wangge:vant-icon-font',
    apply: 'build',
    enforce: 'pre',
    configResolved(config) {
      cacheDir = join(config.cacheDir, 'wangge-vant-icon')
    },
    async transform(code, id) {
      if (!ICON_CSS.test(id)) return null
      const face = code.match(FONT_FACE)?.[0]
      const data = face?.match(WOFF2_DATA)?.[1]
      const icons = iconGlyphs(code)
      if (!face || !data || icons.size < 100) this.error('vant-icon-font: Vant’s icon stylesheet is not as expected')
      for (const file of options.extra) if (!existsSync(file)) this.error(`vant-icon-font: ${file} does not exist`)
      const used = iconsInUse(options, icons)
      const firstChars = [...used].map((name) => icons.get(name)!)
      const restChars = [...icons.values()].filter((c) => !firstChars.includes(c))
      const font = Buffer.from(data, 'base64')
      // Loaded here, not with the module: it starts its WebAssembly on import (and vitest reads this module's helpers).
      const { default: subsetFont } = await import('subset-font')
      const [first, rest] = await Promise.all(
        [firstChars, restChars].map((chars) => subsetFont(font, String.fromCodePoint(...chars), { targetFormat: 'woff2' })),
      )
      // The rest is a file in the build's cache, in a folder named by its content (builds of other work trees may
      // share the cache); Vite bundles it as any url() of a stylesheet.
      const restDir = join(cacheDir, createHash('sha256').update(rest).digest('hex').slice(0, 16))
      const restFile = join(restDir, 'vant-icon-rest.woff2')
      if (!existsSync(restFile)) {
        mkdirSync(restDir, { recursive: true })
        writeFileSync(restFile, rest)
      }
      const restUrl = relative(dirname(id.split('?')[0]), restFile).split('\\').join('/')
      const split = splitFontFace(
        face,
        { data: first.toString('base64') },
        { url: restUrl.startsWith('.') ? restUrl : `./${restUrl}`, range: unicodeRange(restChars) },
      )
      return { code: code.replace(face, split), map: null }
    },
  }
}

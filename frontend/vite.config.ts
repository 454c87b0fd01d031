/// <reference types="vitest/config" />
// Build, dev-server and unit-test configuration of the Wangge front end.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import VueI18nPlugin from '@intlify/unplugin-vue-i18n/vite'
import { VitePWA } from 'vite-plugin-pwa'
import { navigateFallbackDenylist } from './src/pwa.ts'
import { vantStyles } from './build-plugins/vant-styles.ts'
import { vantIconFont } from './build-plugins/vant-icon-font.ts'

// The backend (FastAPI, uvicorn) listens here during development.
const backend = 'http://127.0.0.1:8000'

// Vant's icon font is inlined (woff2, a data: URL) with a fallback on Alibaba's CDN; the app's Content-Security-Policy
// allows fonts from this origin and data: only (backend/wangge/headers.py), and the app must not call third parties,
// so the fallback is dropped from Vant's CSS before it is bundled.
const vantFontWithoutCdn: Plugin = {
  name: 'wangge:vant-font-without-cdn',
  enforce: 'pre',
  transform(code, id) {
    if (!/[\\/]vant[\\/].*\.css$/.test(id)) return null
    return code.replace(/,\s*url\((["']?)(?:https?:)?\/\/at\.alicdn\.com[^)]*\)\s*format\((["'])woff\2\)/g, '')
  },
}

// The API's documentation pages (/docs: Swagger UI, /redoc: ReDoc) load their scripts from the app's own files, not
// from a public CDN that a government intranet cannot reach: the builds of both are copied from node_modules into
// dist/api-docs/, which the backend serves like the rest of dist (backend/wangge/apidocs.py).
const modules = fileURLToPath(new URL('./node_modules', import.meta.url))
const API_DOCS_FILES: [string, string][] = [
  ['swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui-bundle.js'],
  ['swagger-ui-dist/swagger-ui.css', 'swagger-ui.css'],
  ['swagger-ui-dist/favicon-32x32.png', 'favicon-32x32.png'],
  ['redoc/bundles/redoc.standalone.js', 'redoc.standalone.js'],
]
const apiDocsAssets: Plugin = {
  name: 'wangge:api-docs-assets',
  apply: 'build',
  writeBundle(options) {
    const out = join(options.dir ?? 'dist', 'api-docs')
    mkdirSync(out, { recursive: true })
    for (const [from, to] of API_DOCS_FILES) copyFileSync(join(modules, from), join(out, to))
    // ReDoc shows its maker's logo from their CDN (and hides it when it fails to load): point it nowhere.
    const redoc = join(out, 'redoc.standalone.js')
    writeFileSync(redoc, readFileSync(redoc, 'utf8').replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', 'data:,'))
  },
}

// The messages (src/i18n/{zh-CN,en}.ts and each section's src/i18n/<section>/{zh-CN,en}.ts, statically or lazily
// imported) are compiled when the app is built, so the browser gets vue-i18n's runtime-only build without its message
// compiler (a first screen pays for every byte). Not under vitest: the specs read the messages as the strings they are.
const i18nDictionaries = fileURLToPath(new URL('./src/i18n/**/{zh-CN,en}.ts', import.meta.url))
const precompiledMessages = process.env.VITEST
  ? []
  : [
      VueI18nPlugin({
        include: [i18nDictionaries],
        runtimeOnly: true,
        compositionOnly: true,
        fullInstall: false,
        dropMessageCompiler: true, // every message is compiled here; none comes from the server
        strictMessage: true, // no HTML in a message: a build with one fails
      }),
    ]

export default defineConfig({
  base: '/',
  // vue-i18n's build flags: the app uses the Composition API only and none of its global components or directive,
  // so their code is left out of the first screens (vue-i18n's esm-bundler build keeps them when not told).
  define: {
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  plugins: [
    vantFontWithoutCdn,
    // The categories a fresh install ships name their icons in the backend's seed (shown on the resident's report).
    vantIconFont({
      modules,
      sources: [fileURLToPath(new URL('./src', import.meta.url))],
      extra: [fileURLToPath(new URL('../backend/wangge/matters/seed.py', import.meta.url))],
    }),
    apiDocsAssets,
    // Our components and Vant's use the Composition API only: Vue's Options API support is left out of every screen.
    vue({ features: { optionsAPI: false } }),
    ...precompiledMessages,
    vantStyles(modules),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: 'auto',
      // public/ is precached through globPatterns; listing the icons again would precache them twice.
      includeManifestIcons: false,
      manifest: {
        name: '网格 Wangge',
        short_name: '网格',
        description: '网格化管理 — grid management for street offices and communities',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#1677ff',
        background_color: '#ffffff',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // Only the app shell is precached; API responses never are (no runtimeCaching either).
        // woff2: the icons outside the inlined part of Vant's icon font (build-plugins/vant-icon-font.ts), for offline use.
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        // The API documentation's scripts (a few MB) are for developers at a desk, never for the phone's cache.
        globIgnores: ['api-docs/**'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/readyz': backend,
      '/docs': backend,
      '/openapi.json': backend,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    // Terser's two passes leave each first screen about 1 KB (gzipped) lighter than the default minifier.
    minify: 'terser',
    terserOptions: { compress: { passes: 2 } },
    // Leaflet's stylesheet names images (the layer switcher's, the default marker's) that our maps never show:
    // left as files, they are fetched only if shown; inlined, every map screen would carry them.
    assetsInlineLimit: (file) => (file.includes('/node_modules/leaflet/') ? false : undefined),
    rolldownOptions: {
      output: {
        codeSplitting: {
          includeDependenciesRecursively: false,
          // The resident's report form's photo picker and category grid travel together (one chunk, not two: the
          // report is a first screen), though a matter's action dialog uses the picker too.
          // Leaflet and the basemap module every map draws with (src/map/basemap.ts) travel together too.
          groups: [
            { name: 'report-parts', test: /src[\\/]pages[\\/]matters[\\/](PhotoPicker|CategoryGrid)\.vue/ },
            { name: 'leaflet', test: /node_modules[\\/]leaflet[\\/]|src[\\/]pages[\\/]grids[\\/]leaflet\.ts|src[\\/]map[\\/]basemap(Logic)?\.ts/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts', 'build-plugins/**/*.spec.ts'],
    // One jsdom per worker, not per file; src/test-setup.ts resets what tests share.
    isolate: false,
    setupFiles: ['src/test-setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
})

// The unit tests share one module graph per worker (`isolate: false` in vite.config.ts: jsdom is set up once per
// worker instead of once per file, which takes the run from about 45 s to under 10 s). So that no test sees what
// another left behind, each starts from the app's defaults: Chinese, nothing stored.
import { beforeEach } from 'vitest'
import { DEFAULT_LOCALE, loadLocale, loadSection, setLocale } from '@/i18n'

// English and the pages' sections of words are fetched on demand in the app; the tests have them all from the start,
// so that switching language is as quick in every test file, whichever ran before it in the worker.
await loadSection('admin')
await loadSection('station')
await loadSection('field')
await loadSection('loop')
await loadSection('codes')
await loadSection('resident')
await loadLocale('en')

beforeEach(() => {
  localStorage.clear()
  sessionStorage.clear()
  setLocale(DEFAULT_LOCALE)
})

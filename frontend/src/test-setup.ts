// The unit tests share one module graph per worker (`isolate: false` in vite.config.ts: jsdom is set up once per
// worker instead of once per file, which takes the run from about 45 s to under 10 s). So that no test sees what
// another left behind, each starts from the app's defaults: Chinese, nothing stored.
import { beforeEach } from 'vitest'
import { DEFAULT_LOCALE, loadLocale, loadSection, setLocale } from '@/i18n'

// English and the pages' sections of words are fetched on demand in the app; the tests have them all from the start,
// so that switching language is as quick in every test file, whichever ran before it in the worker. Every section:
// one a spec loaded in Chinese only would make the next language switch of any spec fetch its English first, and
// a spec reading the page right after the switch then still found Chinese (LoginPage.spec, MePage.spec, once each).
for (const section of ['admin', 'station', 'field', 'loop', 'assessment', 'maplayers', 'resident', 'sweeps', 'codes'] as const) {
  await loadSection(section)
}
await loadLocale('en')

beforeEach(() => {
  localStorage.clear()
  sessionStorage.clear()
  setLocale(DEFAULT_LOCALE)
})

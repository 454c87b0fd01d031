// The unit tests share one module graph per worker (`isolate: false` in vite.config.ts: jsdom is set up once per
// worker instead of once per file, which takes the run from about 45 s to under 10 s). So that no test sees what
// another left behind, each starts from the app's defaults: Chinese, nothing stored.
import { beforeEach } from 'vitest'
import { DEFAULT_LOCALE, loadLocale, setLocale } from '@/i18n'

// English is fetched on demand in the app; the tests switch to it synchronously.
await loadLocale('en')

beforeEach(() => {
  localStorage.clear()
  sessionStorage.clear()
  setLocale(DEFAULT_LOCALE)
})

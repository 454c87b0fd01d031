import { describe, expect, it } from 'vitest'
import { usesAppShell } from './pwa'

describe('service worker navigation fallback', () => {
  it.each(['/api/v1/meta', '/docs', '/docs/oauth2-redirect', '/redoc', '/openapi.json', '/healthz', '/readyz', '/open311/v2/services.json'])(
    'does not answer %s with the app shell',
    (path) => {
      expect(usesAppShell(path)).toBe(false)
    },
  )

  it.each(['/', '/map', '/me', '/login?redirect=%2Fme', '/documents', '/apiary'])('answers %s with the app shell', (path) => {
    expect(usesAppShell(path)).toBe(true)
  })
})

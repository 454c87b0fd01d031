// Connects the API client to the auth store: the token it sends, the refresh it tries, what a dead session does.
import { setAuthHooks } from '@/api/client'
import type { useAuthStore } from './auth'

export function connectApiToSession(auth: ReturnType<typeof useAuthStore>, onSessionEnded: () => void) {
  setAuthHooks({
    accessToken: () => auth.accessToken,
    refresh: () => auth.refresh(),
    onUnauthorized: () => {
      auth.clear()
      onSessionEnded()
    },
  })
}

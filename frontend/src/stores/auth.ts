// The session: tokens and the current user, kept in localStorage so a reload (or the PWA reopening) stays logged in.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as authApi from '@/api/auth'
import type { CurrentUser, TokenPair } from '@/api/types'

export const AUTH_STORAGE_KEY = 'wangge.auth'

interface StoredSession {
  accessToken: string | null
  refreshToken: string | null
  user: CurrentUser | null
}

function load(): StoredSession {
  try {
    const raw = localStorage.getItem(AUTH_STORAGE_KEY)
    if (raw) {
      const parsed = JSON.parse(raw) as Partial<StoredSession>
      return {
        accessToken: typeof parsed.accessToken === 'string' ? parsed.accessToken : null,
        refreshToken: typeof parsed.refreshToken === 'string' ? parsed.refreshToken : null,
        user: parsed.user ?? null,
      }
    }
  } catch {
    // Unreadable storage counts as logged out.
  }
  return { accessToken: null, refreshToken: null, user: null }
}

export const useAuthStore = defineStore('auth', () => {
  const initial = load()
  const accessToken = ref<string | null>(initial.accessToken)
  const refreshToken = ref<string | null>(initial.refreshToken)
  const user = ref<CurrentUser | null>(initial.user)

  const isAuthenticated = computed(() => !!accessToken.value)

  function persist() {
    try {
      if (!accessToken.value && !refreshToken.value) localStorage.removeItem(AUTH_STORAGE_KEY)
      else
        localStorage.setItem(
          AUTH_STORAGE_KEY,
          JSON.stringify({ accessToken: accessToken.value, refreshToken: refreshToken.value, user: user.value }),
        )
    } catch {
      // Storage full or disabled: the session lasts for this page only.
    }
  }

  function setTokens(pair: TokenPair) {
    accessToken.value = pair.access_token
    refreshToken.value = pair.refresh_token
    persist()
  }

  function clear() {
    accessToken.value = null
    refreshToken.value = null
    user.value = null
    persist()
  }

  async function loadUser() {
    user.value = await authApi.fetchCurrentUser()
    persist()
    return user.value
  }

  /** Throws ApiError (401 for wrong credentials); nothing is kept unless both token and user load. */
  async function login(username: string, password: string) {
    const pair = await authApi.requestToken(username, password)
    setTokens(pair)
    try {
      await loadUser()
    } catch (error) {
      clear()
      throw error
    }
  }

  /** Used by the API client on a 401. Resolves false (and keeps nothing) when the refresh token is refused. */
  async function refresh(): Promise<boolean> {
    const token = refreshToken.value
    if (!token) return false
    try {
      setTokens(await authApi.refreshToken(token))
      return true
    } catch {
      clear()
      return false
    }
  }

  /** Revokes the session on the server when it can; the local state is cleared either way. */
  async function logout() {
    const token = accessToken.value
    clear()
    if (token) {
      try {
        await authApi.revokeSession(token)
      } catch {
        // Offline: the tokens are forgotten here and expire on their own.
      }
    }
  }

  /** One's own new password; the user (no longer obliged to change it) is kept. */
  async function changePassword(current: string, next: string) {
    user.value = await authApi.changePassword(current, next)
    persist()
  }

  /** A password an administrator reset must be replaced before anything else. */
  const mustChangePassword = computed(() => !!user.value?.must_change_password)

  return {
    accessToken,
    refreshToken,
    user,
    isAuthenticated,
    mustChangePassword,
    login,
    loadUser,
    refresh,
    logout,
    clear,
    setTokens,
    changePassword,
  }
})

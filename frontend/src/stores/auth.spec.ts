import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { AUTH_STORAGE_KEY, useAuthStore } from './auth'
import { connectApiToSession } from './session'
import type { CurrentUser } from '@/api/types'

const leader: CurrentUser = {
  id: 1,
  username: 'leader1',
  display_name: '张丽',
  role: 'grid_leader',
  scope: { level: 'grid', id: 3, name: '一网格', code: '110101001001001' },
  is_active: true,
  must_change_password: false,
  language: 'zh-CN',
  phone: null,
  phone_public: false,
}

function json(body: object, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
}

const tokens = (n: number) => ({ access_token: `a${n}`, refresh_token: `r${n}`, token_type: 'bearer', expires_in: 900 })

describe('auth store', () => {
  const fetchMock = vi.fn<typeof fetch>()
  const sessionEnded = vi.fn()

  beforeEach(() => {
    localStorage.clear()
    fetchMock.mockReset()
    sessionEnded.mockReset()
    vi.stubGlobal('fetch', fetchMock)
    setActivePinia(createPinia())
    connectApiToSession(useAuthStore(), sessionEnded)
  })

  it('logs in, loads the user and keeps both in localStorage', async () => {
    fetchMock.mockResolvedValueOnce(json(tokens(1))).mockResolvedValueOnce(json(leader))
    const auth = useAuthStore()
    expect(auth.isAuthenticated).toBe(false)

    await auth.login('leader1', 'secret')

    expect(auth.isAuthenticated).toBe(true)
    expect(auth.user?.display_name).toBe('张丽')
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/auth/token')
    expect(new Headers(fetchMock.mock.calls[1][1]?.headers).get('Authorization')).toBe('Bearer a1')
    const stored = JSON.parse(localStorage.getItem(AUTH_STORAGE_KEY)!)
    expect(stored).toEqual({ accessToken: 'a1', refreshToken: 'r1', user: leader })

    // A new page load picks the session up again.
    setActivePinia(createPinia())
    expect(useAuthStore().user?.username).toBe('leader1')
  })

  it('keeps nothing when the credentials are wrong', async () => {
    fetchMock.mockResolvedValueOnce(json({ title: 'Unauthorized', status: 401, detail: 'Incorrect username or password' }, 401))
    const auth = useAuthStore()
    await expect(auth.login('leader1', 'wrong')).rejects.toMatchObject({ status: 401 })
    expect(auth.isAuthenticated).toBe(false)
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).toBeNull()
  })

  it('exchanges the refresh token and stores the new pair', async () => {
    const auth = useAuthStore()
    auth.setTokens(tokens(1) as never)
    fetchMock.mockResolvedValueOnce(json(tokens(2)))

    await expect(auth.refresh()).resolves.toBe(true)

    expect(JSON.parse(String(fetchMock.mock.calls[0][1]?.body))).toEqual({ refresh_token: 'r1' })
    expect(auth.accessToken).toBe('a2')
    expect(JSON.parse(localStorage.getItem(AUTH_STORAGE_KEY)!).refreshToken).toBe('r2')
  })

  it('forgets the session when the refresh token is refused', async () => {
    const auth = useAuthStore()
    auth.setTokens(tokens(1) as never)
    fetchMock.mockResolvedValueOnce(json({ title: 'Unauthorized', status: 401 }, 401))
    await expect(auth.refresh()).resolves.toBe(false)
    expect(auth.isAuthenticated).toBe(false)
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).toBeNull()
  })

  it('logout revokes the token on the server and clears the state, even offline', async () => {
    const auth = useAuthStore()
    auth.setTokens(tokens(1) as never)
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }))
    await auth.logout()
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/auth/logout')
    expect(new Headers(fetchMock.mock.calls[0][1]?.headers).get('Authorization')).toBe('Bearer a1')
    expect(auth.isAuthenticated).toBe(false)
    expect(auth.user).toBeNull()
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).toBeNull()

    auth.setTokens(tokens(2) as never)
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await auth.logout()
    expect(auth.isAuthenticated).toBe(false)
  })
  it('a request whose token and refresh are both refused ends the session', async () => {
    const auth = useAuthStore()
    auth.setTokens(tokens(1) as never)
    fetchMock
      .mockResolvedValueOnce(json({ title: 'Unauthorized', status: 401 }, 401))
      .mockResolvedValueOnce(json({ title: 'Unauthorized', status: 401 }, 401))
    await expect(auth.loadUser()).rejects.toMatchObject({ status: 401 })
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/auth/refresh')
    expect(auth.isAuthenticated).toBe(false)
    expect(sessionEnded).toHaveBeenCalledTimes(1)
  })

  it('a request whose token expired is retried after a refresh, and the session goes on', async () => {
    const auth = useAuthStore()
    auth.setTokens(tokens(1) as never)
    fetchMock
      .mockResolvedValueOnce(json({ title: 'Unauthorized', status: 401 }, 401))
      .mockResolvedValueOnce(json(tokens(2)))
      .mockResolvedValueOnce(json(leader))
    await expect(auth.loadUser()).resolves.toEqual(leader)
    expect(new Headers(fetchMock.mock.calls[2][1]?.headers).get('Authorization')).toBe('Bearer a2')
    expect(auth.refreshToken).toBe('r2')
    expect(sessionEnded).not.toHaveBeenCalled()
  })
})

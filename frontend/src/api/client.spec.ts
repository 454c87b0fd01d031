import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, api, describeFieldErrors, setAuthHooks } from './client'

function problem(status: number, body: object) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } })
}

function json(body: object, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

function authHeader(call: unknown[]): string | null {
  const init = call[1] as RequestInit
  return new Headers(init.headers).get('Authorization')
}

describe('api client', () => {
  let token: string | null
  const refresh = vi.fn<() => Promise<boolean>>()
  const onUnauthorized = vi.fn()
  const fetchMock = vi.fn<typeof fetch>()

  beforeEach(() => {
    token = 'access-1'
    refresh.mockReset()
    onUnauthorized.mockReset()
    fetchMock.mockReset()
    vi.stubGlobal('fetch', fetchMock)
    setAuthHooks({ accessToken: () => token, refresh, onUnauthorized })
  })

  afterEach(() => setAuthHooks(null))

  it('prefixes /api/v1, sends the bearer token and returns the JSON body', async () => {
    fetchMock.mockResolvedValueOnce(json({ id: 1 }))
    await expect(api.get('/auth/me')).resolves.toEqual({ id: 1 })
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/auth/me')
    expect(authHeader(fetchMock.mock.calls[0])).toBe('Bearer access-1')
  })

  it('drops empty query values and encodes the rest', async () => {
    fetchMock.mockImplementation(async () => json({ type: 'FeatureCollection', features: [] }))
    await api.get('/grids/export', { query: { community_id: undefined } })
    await api.get('/grids/export', { query: { community_id: 7 } })
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/grids/export')
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/grids/export?community_id=7')
  })

  it('sends forms url-encoded without a token when auth is off', async () => {
    fetchMock.mockResolvedValueOnce(json({ access_token: 'a' }))
    await api.post('/auth/token', { form: { username: '张丽', password: 'p&w' }, auth: false })
    const init = fetchMock.mock.calls[0][1] as RequestInit
    expect(new Headers(init.headers).get('Content-Type')).toBe('application/x-www-form-urlencoded')
    expect(init.body).toBe('username=%E5%BC%A0%E4%B8%BD&password=p%26w')
    expect(authHeader(fetchMock.mock.calls[0])).toBeNull()
  })

  it('turns a problem+json response into an ApiError with its detail', async () => {
    fetchMock.mockResolvedValueOnce(
      problem(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Grid 9 does not exist' }),
    )
    const error = (await api.get('/grids/9').catch((e) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(404)
    expect(error.message).toBe('Grid 9 does not exist')
    expect(error.problem?.title).toBe('Not Found')
  })

  it('falls back to the title, then to the status, when there is no detail', async () => {
    fetchMock.mockResolvedValueOnce(problem(409, { title: 'Conflict', status: 409 }))
    fetchMock.mockResolvedValueOnce(new Response('oops', { status: 502, statusText: 'Bad Gateway' }))
    await expect(api.get('/x')).rejects.toMatchObject({ status: 409, message: 'Conflict' })
    await expect(api.get('/y')).rejects.toMatchObject({ status: 502, message: '502 Bad Gateway' })
  })

  it('lists the fields of a 422 in the message and keeps them on the error', async () => {
    const errors = [
      { loc: ['body', 'password'], msg: 'Field required', type: 'missing' },
      { loc: ['query', 'community_id'], msg: 'Input should be a valid integer', type: 'int_parsing' },
    ]
    fetchMock.mockResolvedValueOnce(problem(422, { title: 'Unprocessable Content', status: 422, detail: 'Invalid request', errors }))
    const error = (await api.get('/grids/export').catch((e) => e)) as ApiError
    expect(error.status).toBe(422)
    expect(error.fieldErrors).toEqual(errors)
    expect(error.message).toBe('Invalid request: password: Field required; community_id: Input should be a valid integer')
  })

  it('describes field errors without location prefixes', () => {
    expect(describeFieldErrors([{ loc: ['body'], msg: 'bad body', type: 'x' }])).toBe('bad body')
    expect(describeFieldErrors([{ loc: ['body', 'scope', 'id'], msg: 'too big', type: 'x' }])).toBe('scope.id: too big')
  })

  it('refreshes once on 401 and retries with the new token', async () => {
    fetchMock.mockResolvedValueOnce(problem(401, { title: 'Unauthorized', status: 401 }))
    fetchMock.mockResolvedValueOnce(json({ id: 1 }))
    refresh.mockImplementationOnce(async () => {
      token = 'access-2'
      return true
    })
    await expect(api.get('/auth/me')).resolves.toEqual({ id: 1 })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(authHeader(fetchMock.mock.calls[1])).toBe('Bearer access-2')
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('logs out when the retried request is still 401, without refreshing twice', async () => {
    fetchMock.mockImplementation(async () => problem(401, { title: 'Unauthorized', status: 401, detail: 'Token revoked' }))
    refresh.mockResolvedValue(true)
    await expect(api.get('/auth/me')).rejects.toMatchObject({ status: 401, message: 'Token revoked' })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
  })

  it('logs out without retrying when the refresh fails', async () => {
    fetchMock.mockImplementation(async () => problem(401, { title: 'Unauthorized', status: 401 }))
    refresh.mockResolvedValue(false)
    await expect(api.get('/auth/me')).rejects.toBeInstanceOf(ApiError)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
  })

  it('shares one refresh between concurrent 401s', async () => {
    let release!: (ok: boolean) => void
    refresh.mockImplementation(
      () =>
        new Promise<boolean>((resolve) => {
          release = (ok) => {
            token = 'access-2'
            resolve(ok)
          }
        }),
    )
    fetchMock.mockImplementation(async (_url, init) =>
      new Headers(init?.headers).get('Authorization') === 'Bearer access-2'
        ? json({ ok: true })
        : problem(401, { status: 401, title: 'Unauthorized' }),
    )
    const both = Promise.all([api.get('/a'), api.get('/b')])
    await vi.waitFor(() => expect(refresh).toHaveBeenCalled())
    release(true)
    await expect(both).resolves.toEqual([{ ok: true }, { ok: true }])
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('does not refresh on a 401 from a request made without auth (wrong password)', async () => {
    fetchMock.mockResolvedValueOnce(problem(401, { title: 'Unauthorized', status: 401, detail: 'Incorrect username or password' }))
    await expect(api.post('/auth/token', { form: { username: 'a', password: 'b' }, auth: false })).rejects.toMatchObject({
      status: 401,
    })
    expect(refresh).not.toHaveBeenCalled()
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('reports an unreachable server as a network error (status 0)', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const error = (await api.get('/meta').catch((e) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(0)
    expect(error.isNetworkError).toBe(true)
  })

  it('returns undefined for 204', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }))
    await expect(api.post('/auth/logout')).resolves.toBeUndefined()
  })
})

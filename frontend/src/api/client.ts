// The one way the front end talks to the backend: fetch under /api/v1 with the bearer token,
// one refresh-and-retry on 401, and RFC 9457 problem details turned into ApiError.
import type { FieldError, ProblemDetails } from './types'

export const API_BASE = '/api/v1'
/** Every problem's `type` is this followed by its code. */
export const PROBLEM_BASE = 'https://wangge.dev/problems/'

export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number
  readonly problem: ProblemDetails | null
  readonly fieldErrors: FieldError[]

  constructor(status: number, message: string, problem: ProblemDetails | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.problem = problem
    this.fieldErrors = Array.isArray(problem?.errors) ? problem.errors : []
  }

  get isNetworkError(): boolean {
    return this.status === 0
  }

  /** The problem's stable code ("outside-grid", "precondition-failed", …): its `code` member, or the end of its
   * `type`; null when there is no problem body. The app translates it (errors.codes.<code>). */
  get code(): string | null {
    const problem = this.problem
    if (!problem) return null
    if (typeof problem.code === 'string' && problem.code) return problem.code
    if (typeof problem.type === 'string' && problem.type.startsWith(PROBLEM_BASE)) return problem.type.slice(PROBLEM_BASE.length) || null
    return null
  }
}

/** What the client needs from the session; the auth store provides it (see stores/auth.ts). */
export interface AuthHooks {
  accessToken(): string | null
  /** Exchanges the refresh token for new tokens; resolves true when it worked. */
  refresh(): Promise<boolean>
  /** The session is over: forget it and go to the login page. */
  onUnauthorized(): void
}

let hooks: AuthHooks | null = null
let refreshing: Promise<boolean> | null = null

export function setAuthHooks(next: AuthHooks | null) {
  hooks = next
  refreshing = null
}

/** "password: field required" for each field error; `body`/`query` prefixes are dropped. */
export function describeFieldErrors(errors: FieldError[]): string {
  return errors
    .map((e) => {
      const where = (e.loc ?? []).filter((part, i) => !(i === 0 && ['body', 'query', 'path', 'header'].includes(String(part))))
      return where.length ? `${where.join('.')}: ${e.msg}` : e.msg
    })
    .join('; ')
}

let beforeProblem: (() => Promise<unknown>) | null = null

/** Something to wait for before a problem reaches the page: the app fetches its messages for the problems' codes
 * (i18n section `codes`) with the first problem rather than with the first screen (main.ts). */
export function setProblemHook(hook: (() => Promise<unknown>) | null) {
  beforeProblem = hook
}

/** Builds an ApiError from a failed response, reading problem+json (or plain JSON) where there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let problem: ProblemDetails | null = null
  const contentType = response.headers.get('content-type') ?? ''
  if (contentType.includes('json')) {
    try {
      const body = await response.json()
      if (body && typeof body === 'object') problem = body as ProblemDetails
    } catch {
      // A broken body still gives a status to report.
    }
  }
  const status = response.status
  let message = ''
  if (problem) {
    if (Array.isArray(problem.errors) && problem.errors.length) {
      const fields = describeFieldErrors(problem.errors)
      message = problem.detail ? `${problem.detail}: ${fields}` : fields
    } else if (typeof problem.detail === 'string' && problem.detail) {
      message = problem.detail
    } else if (typeof problem.detail !== 'undefined' && problem.detail !== null) {
      message = JSON.stringify(problem.detail)
    }
    if (!message && problem.title) message = problem.title
  }
  if (!message) message = response.statusText ? `${status} ${response.statusText}` : `HTTP ${status}`
  if (beforeProblem) await beforeProblem().catch(() => undefined) // offline: the server's detail stands in
  return new ApiError(status, message, problem)
}

export interface RequestOptions {
  method?: string
  /** Sent as application/json. */
  json?: unknown
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>
  /** Sent as multipart/form-data (the browser sets the boundary). */
  formData?: FormData
  /** Sent as it is, with its media type (a CSV file, say). */
  raw?: { body: Blob; type: string }
  /** Extra request headers (Idempotency-Key, If-Match, …). */
  headers?: Record<string, string>
  query?: Record<string, string | number | boolean | null | undefined>
  /** Send the bearer token and refresh on 401 (default true). */
  auth?: boolean
  signal?: AbortSignal
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  let url = path.startsWith('http') ? path : `${API_BASE}${path.startsWith('/') ? '' : '/'}${path}`
  if (query) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
    }
    const text = params.toString()
    if (text) url += (url.includes('?') ? '&' : '?') + text
  }
  return url
}

async function send(url: string, options: RequestOptions, token: string | null): Promise<Response> {
  // The server's messages in the app's language (<html lang> follows it: i18n/index.ts).
  const headers = new Headers({ Accept: 'application/json, application/problem+json', 'Accept-Language': document.documentElement.lang || 'zh-CN' })
  let body: BodyInit | undefined
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = JSON.stringify(options.json)
  } else if (options.form) {
    headers.set('Content-Type', 'application/x-www-form-urlencoded')
    body = new URLSearchParams(options.form).toString()
  } else if (options.formData) {
    body = options.formData
  } else if (options.raw) {
    headers.set('Content-Type', options.raw.type)
    body = options.raw.body
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value)
  if (token) headers.set('Authorization', `Bearer ${token}`)
  try {
    return await fetch(url, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body, signal: options.signal })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new ApiError(0, err instanceof Error && err.message ? err.message : 'Network error')
  }
}

/** Concurrent 401s share one refresh: the backend rotates refresh tokens, so a second call would fail. */
function refreshOnce(): Promise<boolean> {
  if (!hooks) return Promise.resolve(false)
  if (!refreshing) {
    const current = hooks
    refreshing = current
      .refresh()
      .catch(() => false)
      .finally(() => {
        refreshing = null
      })
  }
  return refreshing
}

async function parseBody<T>(response: Response): Promise<T> {
  if (response.status === 204 || response.status === 205) return undefined as T
  const text = await response.text()
  if (!text) return undefined as T
  const contentType = response.headers.get('content-type') ?? ''
  return (contentType.includes('json') ? JSON.parse(text) : text) as T
}

/** The parsed body and the response's headers (for an ETag, say). */
export interface FullResponse<T> {
  data: T
  headers: Headers
  status: number
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await requestFull<T>(path, options)).data
}

export async function requestFull<T>(path: string, options: RequestOptions = {}): Promise<FullResponse<T>> {
  const url = buildUrl(path, options.query)
  const useAuth = options.auth !== false
  const token = useAuth ? (hooks?.accessToken() ?? null) : null
  let response = await send(url, options, token)

  if (response.status === 401 && useAuth && hooks) {
    const refreshed = token ? await refreshOnce() : false
    if (refreshed) {
      response = await send(url, options, hooks.accessToken())
    }
    if (response.status === 401) {
      const error = await errorFromResponse(response)
      hooks.onUnauthorized()
      throw error
    }
  }

  if (!response.ok) throw await errorFromResponse(response)
  return { data: await parseBody<T>(response), headers: response.headers, status: response.status }
}

export const api = {
  get: <T>(path: string, options: Omit<RequestOptions, 'method'> = {}) => request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, options: Omit<RequestOptions, 'method'> = {}) => request<T>(path, { ...options, method: 'POST' }),
  put: <T>(path: string, options: Omit<RequestOptions, 'method'> = {}) => request<T>(path, { ...options, method: 'PUT' }),
  patch: <T>(path: string, options: Omit<RequestOptions, 'method'> = {}) => request<T>(path, { ...options, method: 'PATCH' }),
  delete: <T>(path: string, options: Omit<RequestOptions, 'method'> = {}) => request<T>(path, { ...options, method: 'DELETE' }),
}

/** A file (an XLSX, a printable page) fetched with the bearer token, since a plain link cannot carry it. */
export async function requestBlob(path: string): Promise<Blob> {
  const url = buildUrl(path)
  const token = hooks?.accessToken() ?? null
  let response = await send(url, { method: 'GET' }, token)
  if (response.status === 401 && hooks && token && (await refreshOnce())) {
    response = await send(url, { method: 'GET' }, hooks.accessToken())
  }
  if (!response.ok) throw await errorFromResponse(response)
  return response.blob()
}

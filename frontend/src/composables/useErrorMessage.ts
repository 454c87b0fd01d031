// Turns any thrown error into a sentence for the user, in the current language: the app's own message for the
// problem's code (errors.codes.<code>) where there is one, otherwise one chosen by the status.
import { ApiError, describeFieldErrors } from '@/api/client'
import { i18n } from '@/i18n'

export type ErrorContext = 'login' | 'default'

// Codes that say only what kind of refusal it was: the server's detail or its field errors (a grid code already
// taken, a polygon that crosses itself, a field out of range) tell the user which, so they follow the translated
// word. Every other code has a message of its own that says it all.
const GENERIC_CODES = new Set(['bad-request', 'conflict', 'invalid', 'validation-error'])

/** The app's own message for a problem code, or null when it has none. */
export function codeMessage(code: string | null | undefined): string | null {
  if (!code) return null
  const key = `errors.codes.${code}`
  // vue-i18n reads a dotted path; a code is kebab-case ("outside-grid"), which its path syntax accepts as one key.
  return i18n.global.te(key) ? i18n.global.t(key) : null
}

function byCode(error: ApiError): string | null {
  const message = codeMessage(error.code)
  if (!message) return null
  // A refusal that lasts (a locked sign-in, a rate limit) says how long: the problem carries `retry_after`.
  const wait = Number(error.problem?.retry_after)
  if (error.status === 429 && Number.isFinite(wait) && wait > 0) {
    return i18n.global.t('errors.retryIn', { message, minutes: Math.max(1, Math.ceil(wait / 60)) })
  }
  // A code of its own says all the user needs; only a generic one is followed by what the server found.
  if (!GENERIC_CODES.has(error.code ?? '')) return message
  if (error.fieldErrors.length) return `${message}: ${describeFieldErrors(error.fieldErrors)}`
  const detail = error.problem?.detail
  if (typeof detail === 'string' && detail) return `${message}: ${detail}`
  return message
}

export function errorMessage(error: unknown, context: ErrorContext = 'default'): string {
  const t = i18n.global.t
  if (error instanceof ApiError) {
    if (error.isNetworkError) return t('errors.network')
    // A bare 401 (no code, or the generic one) means the session is gone, except on the login form.
    if (error.status === 401 && (error.code === null || error.code === 'unauthorized'))
      return context === 'login' ? t('auth.badCredentials') : t('auth.sessionExpired')
    const translated = byCode(error)
    if (translated) return translated
    if (error.status === 401) return context === 'login' ? t('auth.badCredentials') : t('auth.sessionExpired')
    if (error.status === 403) return t('errors.forbidden')
    if (error.status === 404) return t('errors.notFound')
    if (error.status === 422) return error.fieldErrors.length ? `${t('errors.validation')}: ${error.message}` : error.message
    if (error.status >= 500) return t('errors.server')
    return error.message || t('errors.unknown')
  }
  if (error instanceof TypeError) return t('errors.network')
  return t('errors.unknown')
}

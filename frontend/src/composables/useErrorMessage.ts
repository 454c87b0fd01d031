// Turns any thrown error into a sentence for the user, translated where the status says enough.
import { ApiError } from '@/api/client'
import { i18n } from '@/i18n'

export type ErrorContext = 'login' | 'default'

export function errorMessage(error: unknown, context: ErrorContext = 'default'): string {
  const t = i18n.global.t
  if (error instanceof ApiError) {
    if (error.isNetworkError) return t('errors.network')
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

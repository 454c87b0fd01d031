// Shows an error to the user as a Vant toast, in the current language.
import { showToast } from 'vant'
import { errorMessage, type ErrorContext } from './useErrorMessage'

export function toastError(error: unknown, context: ErrorContext = 'default'): string {
  const message = errorMessage(error, context)
  showToast({ message, position: 'middle', wordBreak: 'break-word' })
  return message
}

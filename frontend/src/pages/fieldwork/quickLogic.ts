// The quick report's (随手拍) small rules, kept apart from the sheet so that they are tested on their own: what a
// report with no words is called, whether its place lies outside the leader's own grids, and how a report the server
// refused reads in the outbox.
import { ApiError } from '@/api/client'
import { errorMessage } from '@/composables/useErrorMessage'

type Translate = (key: string, values?: Record<string, unknown>) => string

/** The description sent: the leader's words, or "随手拍：环境卫生" (never the category's name alone, which the lists
 * show beside it: "环境卫生：环境卫生"). */
export function quickDescription(text: string, categoryName: string, t: Translate): string {
  return text.trim() || t('quick.untitled', { category: categoryName })
}

export interface Located {
  grid: { id: number; name: string } | null
}

/** Null when the point lies in one of the leader's grids (their own, or one they cover); otherwise the grid it lies
 * in (null outside every grid), to warn the leader before sending. */
export function outsideOwnGrids(located: Located, own: ReadonlySet<number>): { grid: string | null } | null {
  if (located.grid && own.has(located.grid.id)) return null
  return { grid: located.grid?.name ?? null }
}

/** A refused operation in the outbox, in the app's words: its own message for the problem's code, once; the server's
 * detail only where the app has none (or after a generic code). */
export function failedText(f: { status: number; code?: string | null; message: string }): string {
  if (!f.code) return f.message
  return errorMessage(new ApiError(f.status, f.message, { code: f.code, status: f.status, detail: f.message }))
}

// The pure rules of the desk's queues 待审批 / 待核查 / 待回访: what a row's decision needs, what an answered callback
// leaves of its row, and the words of an application.
import type { CallbackAnswer } from '@/api/types'

/** The answers a callback records, in the order the form offers them. */
export const ANSWERS: CallbackAnswer[] = ['satisfied', 'basically_satisfied', 'not_satisfied', 'unreachable']

/** A refusal says why (the server needs a reason): the reason trimmed, or null while it is blank. */
export function refusalReason(text: string): string | null {
  const reason = text.trim()
  return reason ? reason.slice(0, 2000) : null
}

/** The body of a callback: the answer and the note (left out while blank); null until an answer is chosen. */
export function callbackBody(answer: CallbackAnswer | '', note: string): { answer: CallbackAnswer; note?: string } | null {
  if (!answer) return null
  const text = note.trim()
  return text ? { answer, note: text.slice(0, 2000) } : { answer }
}

/** What an answered callback leaves of its row: the matter moved on (closed, reopened) and leaves the list, or it
 * stays resolved (nobody answered, tries left) and the row shows the tries so far, this one counted. */
export function afterCallback(status: string, triesBefore: number | null | undefined): { gone: true } | { gone: false; tries: number } {
  if (status !== 'resolved') return { gone: true }
  return { gone: false, tries: (triesBefore ?? 0) + 1 }
}

/** The words of a callback that took the matter off the list. */
export function callbackOutcomeKey(answer: CallbackAnswer, status: string): string {
  if (status !== 'closed') return 'queues.reopenedByCallback'
  return answer === 'unreachable' ? 'queues.closedUnreachable' : 'queues.closedByCallback'
}

/** The rows without the one decided. */
export function withoutRow<T extends { id: number }>(rows: T[], id: number): T[] {
  return rows.filter((r) => r.id !== id)
}

/** An application's date ('until') as the day it names, in Beijing time (the server stores the day's end). */
export function applicationDay(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
}

/** The 已回访 cell: the unanswered calls so far, or a dash (not an empty cell, which reads as missing on a phone). */
export function triesText(tries: number | null | undefined, t: (key: string, values: { n: number }) => string): string {
  return tries ? t('queues.triesN', { n: tries }) : '—'
}

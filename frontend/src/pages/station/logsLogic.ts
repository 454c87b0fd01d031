// Pure rules of the leaders' logs desk page (工作日志): the week's days, a leader's cell for a day, the grids seen,
// a remark's check before it is sent.
import type { LeaderLogs, LogCell, Remark } from '@/api/logs'
import { addDays } from '@/pages/fieldwork/format'

export const REMARK_MAX = 500

/** The seven days of the week starting on `monday`, not past `today`. */
export function weekDays(monday: string, today: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i)).filter((d) => d <= today)
}

/** The leader's cell for a day (undefined: not in the answer, e.g. filtered out). */
export function cellOf(row: LeaderLogs, day: string): LogCell | undefined {
  return row.days.find((c) => c.day === day)
}

/** How many of the listed days of a leader are signed, of how many. */
export function signedShare(row: LeaderLogs): { signed: number; total: number } {
  return { signed: row.days.filter((c) => c.signed_at).length, total: row.days.length }
}

/** The grids of the leaders seen so far, by name, each once (the grid filter's choices). */
export function gridsOf(rows: LeaderLogs[], known: { id: number; name: string }[] = []): { id: number; name: string }[] {
  const by = new Map(known.map((g) => [g.id, g]))
  for (const row of rows) {
    const g = row.leader.grid as { id: number; name: string }
    if (!by.has(g.id)) by.set(g.id, { id: g.id, name: g.name })
  }
  return [...by.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}

/** Why a remark may not be sent yet: 'required' (nothing but blanks), 'tooLong' (over 500 characters), or null. */
export function remarkProblem(text: string): 'required' | 'tooLong' | null {
  const trimmed = text.trim()
  if (!trimmed) return 'required'
  if ([...trimmed].length > REMARK_MAX) return 'tooLong'
  return null
}

/** The remarks the leader has not marked read yet. */
export function unread(remarks: Remark[] | undefined): Remark[] {
  return (remarks ?? []).filter((r) => !r.read_at)
}

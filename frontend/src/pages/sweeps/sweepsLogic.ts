// The small rules of household sweeps 逐户排查, apart from the pages so that they are tested on their own: the new
// campaign's form, the progress as a share, and the household checklist with the ticks still waiting in the outbox.
import type { Progress, SweepIn, SweepResult, SweepTask, TickBody } from '@/api/sweeps'

export const PURPOSES = ['epidemic', 'rental_census', 'population', 'safety', 'other'] as const
export const RESULTS: SweepResult[] = ['normal', 'abnormal', 'absent', 'vacant']
export const COUNTS = ['total', 'done', 'abnormal', 'revisit', 'not_yet', 'missed'] as const

/** The day in Shanghai, as YYYY-MM-DD (the server's days are Shanghai's). */
export function shanghaiDay(at: Date): string {
  return at.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

export interface SweepForm {
  title: string
  purpose: (typeof PURPOSES)[number]
  note: string
  gridIds: number[]
  startOn: string
  dueOn: string
}

export function emptyForm(today: string): SweepForm {
  return { title: '', purpose: 'epidemic', note: '', gridIds: [], startOn: today, dueOn: addDays(today, 7) }
}

/** What is missing or wrong, as message keys under sweep.* (the server checks the same and more). */
export function formProblems(f: SweepForm, today: string): string[] {
  const out: string[] = []
  if (!f.title.trim()) out.push('name')
  if (!f.gridIds.length) out.push('nothingChosen')
  if (!f.startOn || !f.dueOn || f.dueOn < f.startOn || f.dueOn < today) out.push('dueOn')
  return out
}

export function sweepBody(f: SweepForm): SweepIn {
  return {
    title: f.title.trim(),
    purpose: f.purpose,
    ...(f.note.trim() ? { note: f.note.trim() } : {}),
    grid_ids: [...f.gridIds],
    start_on: f.startOn,
    due_on: f.dueOn,
  }
}

/** Done out of total, in whole per cent (0 when there is nothing to sweep). */
export function percent(p: Pick<Progress, 'done' | 'total'>): number {
  return p.total ? Math.round((p.done * 100) / p.total) : 0
}

/** The body of a tick, or the key of what is wrong with it (abnormal needs a note). */
export function tickBody(result: SweepResult, note: string, at: Date): TickBody | 'noteRequired' {
  const text = note.trim()
  if (result === 'abnormal' && !text) return 'noteRequired'
  return { result, ...(text ? { note: text } : {}), ticked_at: at.toISOString() }
}

/** A household as the checklist shows it: the server's result, or the tick still waiting in the outbox. */
export interface Household extends SweepTask {
  pending: boolean
}

export function withPending(tasks: SweepTask[], pending: ReadonlyMap<number, TickBody>): Household[] {
  return tasks.map((t) => {
    const waiting = pending.get(t.id)
    return waiting ? { ...t, result: waiting.result, note: waiting.note ?? null, pending: true } : { ...t, pending: false }
  })
}

/** The checklist's sections: unit, then floor, in the order the server sent the households. */
export function sections(households: Household[]): { unit: string; floor: number; items: Household[] }[] {
  const out: { unit: string; floor: number; items: Household[] }[] = []
  for (const h of households) {
    const last = out[out.length - 1]
    if (last && last.unit === h.unit && last.floor === h.floor) last.items.push(h)
    else out.push({ unit: h.unit, floor: h.floor, items: [h] })
  }
  return out
}

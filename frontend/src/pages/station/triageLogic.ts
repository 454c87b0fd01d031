// The triage board's logic, kept apart from the page so it can be tested: the per-item rows of a batch decision and
// what each decision needs.
import type { BatchAnswer, DecisionBody, TriageDecision, TriageGroup } from '@/api/station'

export const DECISIONS: TriageDecision[] = ['station', 'escalate', 'close', 'merge']

/** One line of a batch's answer: the item, its matter, applied or refused (with the server's reason). */
export interface ResultRow {
  itemId: number
  matterId: number | null
  trackingCode: string | null
  ok: boolean
  /** The matter's status after it was applied. */
  status: string | null
  reason: string | null
}

/** The rows of a batch decision's answer, in the order the items were asked for (any others after). */
export function mapBatchResults(answer: BatchAnswer | null | undefined, askedFor: number[]): ResultRow[] {
  const rows = new Map<number, ResultRow>()
  for (const a of answer?.applied ?? []) {
    rows.set(a.item_id, { itemId: a.item_id, matterId: a.matter_id, trackingCode: a.tracking_code, ok: true, status: a.status, reason: null })
  }
  for (const r of answer?.refused ?? []) {
    rows.set(r.item_id, {
      itemId: r.item_id,
      matterId: r.matter_id ?? null,
      trackingCode: r.tracking_code ?? null,
      ok: false,
      status: null,
      reason: r.detail || r.code || null,
    })
  }
  const ordered = askedFor.map((id) => rows.get(id)).filter((r): r is ResultRow => !!r)
  for (const row of rows.values()) if (!askedFor.includes(row.itemId)) ordered.push(row)
  return ordered
}

/** The grids an agenda group's items came from, each once, with how many items. */
export function gridsOf(group: TriageGroup): { name: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const item of group.items) {
    const name = item.matter.grid?.name ?? '—'
    counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  return [...counts].map(([name, count]) => ({ name, count }))
}

export interface DecisionFields {
  decision: TriageDecision | ''
  reason: string
  assignee: string
  /** 'street', or 'department:<id>' */
  target: string
  into: string
}

export function emptyFields(): DecisionFields {
  return { decision: '', reason: '', assignee: '', target: 'street', into: '' }
}

/** The field a decision still needs (the server checks again), or null. */
export function missingField(f: DecisionFields): 'decision' | 'reason' | 'assignee' | 'into' | null {
  if (!f.decision) return 'decision'
  if ((f.decision === 'close' || f.decision === 'escalate') && !f.reason.trim()) return 'reason'
  if (f.decision === 'station' && !f.assignee.trim()) return 'assignee'
  if (f.decision === 'merge' && !/^\d+$/.test(f.into.trim())) return 'into'
  return null
}

/** The request body of a decision from the form's fields (call after `missingField` gave null). */
export function decisionBody(f: DecisionFields): DecisionBody {
  const decision = f.decision as TriageDecision
  const reason = f.reason.trim()
  switch (decision) {
    case 'station':
      return { decision, assignee: f.assignee.trim(), ...(reason ? { note: reason } : {}) }
    case 'escalate': {
      const target = f.target.startsWith('department:')
        ? { level: 'department' as const, department_id: Number(f.target.slice('department:'.length)) }
        : f.target === 'department'
          ? { level: 'department' as const }
          : { level: 'street' as const }
      return { decision, reason, target }
    }
    case 'close':
      return { decision, reason }
    case 'merge':
      return { decision, into: Number(f.into.trim()), ...(reason ? { reason } : {}) }
  }
}

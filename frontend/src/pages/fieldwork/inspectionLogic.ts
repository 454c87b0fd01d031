// Pure rules of the leader's inspection on the phone (本月排查): each checklist item answered 合格 / 有隐患 / 不适用
// with a note; an item with a hazard becomes a ledger entry (where, who must fix it, by when); what is still missing
// before the checklist can be sent; the body sent.
import type { InspectionResults, InspectionTask, ItemResult } from '@/api/checklists'
import { addDays } from './format'

export type RiskLevel = 'major' | 'high' | 'medium' | 'low'

export interface ItemAnswer {
  result: ItemResult | ''
  remark: string
  /** For an item with a hazard: where it is, who must fix it, by when, how serious. */
  place: string
  unit: string
  deadline: string
  risk: RiskLevel
}

export function blankAnswers(task: InspectionTask, today: string): Record<string, ItemAnswer> {
  const out: Record<string, ItemAnswer> = {}
  for (const item of task.checklist.items) {
    out[item.code] = { result: '', remark: '', place: '', unit: '', deadline: addDays(today, 7), risk: 'medium' }
  }
  return out
}

export type Missing = { code: string; what: 'result' | 'place' | 'unit' | 'deadline' }

/** What is missing before the checklist can be sent: every item answered; every hazard placed, owned and dated. */
export function missing(task: InspectionTask, answers: Record<string, ItemAnswer>): Missing[] {
  const out: Missing[] = []
  for (const { code } of task.checklist.items) {
    const a = answers[code]
    if (!a?.result) {
      out.push({ code, what: 'result' })
      continue
    }
    if (a.result !== 'hazard') continue
    if (!a.place.trim()) out.push({ code, what: 'place' })
    if (!a.unit.trim()) out.push({ code, what: 'unit' })
    if (!a.deadline) out.push({ code, what: 'deadline' })
  }
  return out
}

/** The body of POST /hazards/tasks/{id}/results: results, the notes given, a ledger entry per hazard. */
export function resultsBody(task: InspectionTask, answers: Record<string, ItemAnswer>): InspectionResults {
  const results: Record<string, ItemResult> = {}
  const remarks: Record<string, string> = {}
  const hazards: InspectionResults['hazards'] = []
  for (const item of task.checklist.items) {
    const a = answers[item.code]
    if (!a?.result) continue
    results[item.code] = a.result
    const note = a.remark.trim()
    if (note) remarks[item.code] = note
    if (a.result === 'hazard') {
      hazards.push({
        place: a.place.trim(),
        hazard_type: task.checklist.hazard_type || 'building',
        risk_level: a.risk,
        description: (note ? `${item.text_zh}：${note}` : item.text_zh).slice(0, 2000),
        responsible_unit: a.unit.trim(),
        deadline: a.deadline,
        photo_ids: [],
      })
    }
  }
  return { results, remarks, hazards }
}

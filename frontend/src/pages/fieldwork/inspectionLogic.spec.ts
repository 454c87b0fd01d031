import { describe, expect, it } from 'vitest'
import type { InspectionTask } from '@/api/checklists'
import { blankAnswers, missing, resultsBody } from './inspectionLogic'

const task: InspectionTask = {
  id: 7,
  cycle_id: 1,
  month: '2026-12',
  community: { id: 1, name: 'C1' },
  grid: { id: 2, name: 'G1a' },
  checklist: {
    code: 'fire',
    name_zh: '消防安全检查',
    name_en: 'Fire',
    hazard_type: 'fire',
    items: [
      { code: 'fire_1', text_zh: '消防通道畅通', text_en: '' },
      { code: 'fire_2', text_zh: '灭火器在有效期内', text_en: '' },
    ],
  },
  assignee: null,
  done: false,
  done_at: null,
  results: {},
  remarks: {},
  may_submit: true,
}

describe('an inspection on the phone', () => {
  it('starts with every item unanswered and a deadline a week out', () => {
    const answers = blankAnswers(task, '2026-12-01')
    expect(Object.keys(answers)).toEqual(['fire_1', 'fire_2'])
    expect(answers.fire_1.deadline).toBe('2026-12-08')
    expect(missing(task, answers)).toEqual([
      { code: 'fire_1', what: 'result' },
      { code: 'fire_2', what: 'result' },
    ])
  })

  it('asks where a hazard is and who fixes it', () => {
    const answers = blankAnswers(task, '2026-12-01')
    answers.fire_1.result = 'hazard'
    answers.fire_2.result = 'ok'
    expect(missing(task, answers)).toEqual([
      { code: 'fire_1', what: 'place' },
      { code: 'fire_1', what: 'unit' },
    ])
    answers.fire_1.place = ' 3栋楼道 '
    answers.fire_1.unit = '物业'
    expect(missing(task, answers)).toEqual([])
  })

  it('sends the results, the notes given and a ledger entry per hazard', () => {
    const answers = blankAnswers(task, '2026-12-01')
    Object.assign(answers.fire_1, { result: 'hazard', remark: ' 堆放纸箱 ', place: '3栋楼道', unit: '物业', risk: 'high' })
    Object.assign(answers.fire_2, { result: 'n/a', remark: '  ' })
    const body = resultsBody(task, answers)
    expect(body.results).toEqual({ fire_1: 'hazard', fire_2: 'n/a' })
    expect(body.remarks).toEqual({ fire_1: '堆放纸箱' })
    expect(body.hazards).toEqual([
      {
        place: '3栋楼道',
        hazard_type: 'fire',
        risk_level: 'high',
        description: '消防通道畅通：堆放纸箱',
        responsible_unit: '物业',
        deadline: '2026-12-08',
        photo_ids: [],
      },
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { sheetFileName, sheetRows, type DistrictSheet } from './districtLogic'

const SHEET: DistrictSheet = {
  number: 'EV20261202001-2',
  sequence: 2,
  kind_zh: '续报',
  title: '楼道起火',
  incident_type_zh: '火灾',
  severity_zh: 'Ⅲ级（较大）',
  occurred_at_local: '2026年12月02日 10:05',
  place: '1栋2单元',
  street: '东街街道',
  community: '东一社区',
  grid: '第一网格',
  nature: '电动车充电起火',
  casualties: { dead: 0, injured: 2, missing: 1 },
  scene_status: '明火已扑灭',
  measures: '',
  reporting_unit: '东街街道东一社区',
  reporter: '张三',
  reporter_phone: '13900001111',
  reported_at_local: '2026年12月02日 11:00',
}

describe('district report form', () => {
  it('lists the form lines in the office order with the facts filled in', () => {
    const rows = Object.fromEntries(sheetRows(SHEET))
    expect(sheetRows(SHEET)[0]).toEqual(['报告编号', 'EV20261202001-2'])
    expect(rows['报告类别']).toBe('续报（第2次报告）')
    expect(rows['发生地点']).toBe('1栋2单元（东街街道东一社区第一网格）')
    expect(rows['伤亡情况']).toBe('死亡 0 人，受伤 2 人，失踪 1 人')
    expect(rows['已采取的措施']).toBe('—')
    expect(sheetRows(SHEET)).toHaveLength(15)
  })

  it('leaves the units out of the place when the incident has none', () => {
    expect(Object.fromEntries(sheetRows({ ...SHEET, street: '' }))['发生地点']).toBe('1栋2单元')
  })

  it('names the workbook by number and kind', () => {
    expect(sheetFileName(SHEET)).toBe('突发事件报告-EV20261202001-2-续报.xlsx')
  })
})

// The lines of an incident's report in the district emergency office's form (突发事件信息报告), in the order the
// office reads them: the same as the backend's workbook (backend/wangge/emergencies/district.py, rows). The form is
// Chinese whatever the app's language: it goes to a Chinese office.

export interface DistrictSheet {
  number: string
  sequence: number
  kind_zh: string
  title: string
  incident_type_zh: string
  severity_zh: string
  occurred_at_local: string
  place: string
  street: string
  community: string
  grid: string
  nature: string
  casualties: Record<string, number>
  scene_status: string
  measures: string
  reporting_unit: string
  reporter: string
  reporter_phone: string
  reported_at_local: string
}

export function sheetRows(s: DistrictSheet): [string, string][] {
  const c = s.casualties
  const place = s.place + (s.street ? `（${s.street}${s.community}${s.grid}）` : '')
  return [
    ['报告编号', s.number],
    ['报告类别', `${s.kind_zh}（第${s.sequence}次报告）`],
    ['事件名称', s.title],
    ['事件类型', s.incident_type_zh],
    ['事件等级', s.severity_zh],
    ['发生时间', s.occurred_at_local],
    ['发生地点', place],
    ['事件性质及起因', s.nature],
    ['伤亡情况', `死亡 ${c.dead ?? 0} 人，受伤 ${c.injured ?? 0} 人，失踪 ${c.missing ?? 0} 人`],
    ['现场情况', s.scene_status],
    ['已采取的措施', s.measures || '—'],
    ['报告单位', s.reporting_unit],
    ['报告人', s.reporter],
    ['联系电话', s.reporter_phone],
    ['报告时间', s.reported_at_local],
  ]
}

/** The file name of the workbook: 突发事件报告-<code>-<n>-首报.xlsx. */
export function sheetFileName(s: Pick<DistrictSheet, 'number' | 'kind_zh'>): string {
  return `突发事件报告-${s.number}-${s.kind_zh}.xlsx`
}

import { beforeAll, describe, expect, it } from 'vitest'
import { i18n, loadSection } from '@/i18n'
import type { AuditEntry } from '@/api/admin'
import { changeLines } from './auditLogic'

const t = i18n.global.t as (key: string) => string
const te = i18n.global.te as (key: string) => boolean

function entry(action: AuditEntry['action'], changes: AuditEntry['changes']): AuditEntry {
  return { id: 1, at: '2026-12-01T00:00:00Z', actor_id: 1, actor_name: '管理员', action, entity: 'user', entity_id: '7', label: 'u7', changes }
}

describe('audit entry changes', () => {
  beforeAll(() => loadSection('admin'))

  it('name the fields in the user language and show before → after', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(
      changeLines(entry('update', { display_name: ['张三', '李四'], is_active: [true, false], role: ['grid_member', 'grid_leader'] }), t, te),
    ).toEqual(['姓名：张三 → 李四', '在用：是 → 否', '角色：网格员 → 网格长'])
  })

  it('show only the new value of a creation and the old of a deletion, and keep unknown fields as they are', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(changeLines(entry('create', { phone: [null, '137****5678'], floor_count: [null, 6] }), t, te)).toEqual([
      '电话：137****5678',
      'floor_count：6',
    ])
    expect(changeLines(entry('delete', { flavour: ['值班', null] }), t, te)).toEqual(['flavour：值班'])
    expect(changeLines(entry('update', { phone: [null, ''] }), t, te)).toEqual(['电话：（空） → （空）'])
  })

  it('show only the parts of a structured value that changed, and never a secret', () => {
    i18n.global.locale.value = 'zh-CN'
    const before = { grid: { sign: { amount: 2, unit: 'working_hours' } }, station: { sign: { amount: 1, unit: 'working_days' } } }
    const after = { grid: { sign: { amount: 3, unit: 'working_hours' } }, station: { sign: { amount: 1, unit: 'working_days' } } }
    expect(changeLines(entry('update', { time_limits: [before, after] }), t, te)).toEqual(['时限 grid.sign.amount：2 → 3'])
    expect(changeLines(entry('update', { password_hash: ['（已修改）', '（已修改）'] }), t, te)).toEqual(['密码：（已修改，内容不记录） → （已修改，内容不记录）'])
    expect(changeLines(entry('create', { weekday: [null, 2] }), t, te)).toEqual(['星期：周三'])
  })
})

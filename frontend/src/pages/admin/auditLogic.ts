// How one audit entry's changes read: "姓名：张三 → 李四", fields named in the user's language where the app knows
// them, values in words where they are codes the app names (a role, a level, a weekday), yes/no or empty; a change
// inside a structured value (a category's time limits) shows only the parts that changed.
import type { AuditEntry } from '@/api/admin'

type T = (key: string, values?: Record<string, unknown>) => string
type Te = (key: string) => boolean

/** What the server writes instead of a secret's value (a password hash, a key's hash, an identity number). */
export const HIDDEN = '（已修改）'

// Fields whose values are codes the app already names.
const NAMED: Record<string, string> = { role: 'roles', scope_level: 'levels', unit_level: 'levels', weekday: 'admin.shifts.days' }

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function value(v: unknown, t: T, te: Te, field = ''): string {
  if (v === null || v === undefined || v === '') return t('admin.audit.empty')
  if (v === HIDDEN) return t('admin.audit.hidden')
  if (NAMED[field] && te(`${NAMED[field]}.${String(v)}`)) return t(`${NAMED[field]}.${String(v)}`)
  if (v === true) return t('admin.audit.yes')
  if (v === false) return t('admin.audit.no')
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** The leaves that differ between two structured values, as [path, before, after]. */
export function changedLeaves(before: unknown, after: unknown, path = ''): [string, unknown, unknown][] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return keys.flatMap((k) => changedLeaves(before[k], after[k], path ? `${path}.${k}` : k))
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [[path, before, after]]
}

export function changeLines(entry: AuditEntry, t: T, te: Te): string[] {
  return Object.entries(entry.changes).flatMap(([field, pair]) => {
    const name = te(`admin.fields.${field}`) ? t(`admin.fields.${field}`) : field
    const [before, after] = pair as [unknown, unknown]
    if (entry.action === 'create') return [`${name}：${value(after, t, te, field)}`]
    if (entry.action === 'delete') return [`${name}：${value(before, t, te, field)}`]
    if (isObject(before) && isObject(after)) {
      return changedLeaves(before, after).map(([path, b, a]) => `${name} ${path}：${value(b, t, te)} → ${value(a, t, te)}`)
    }
    return [`${name}：${value(before, t, te, field)} → ${value(after, t, te, field)}`]
  })
}

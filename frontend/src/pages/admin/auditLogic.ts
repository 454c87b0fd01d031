// How one audit entry's changes read: "姓名：张三 → 李四", fields named in the user's language where the app knows
// them, values in words where they are yes/no or empty.
import type { AuditEntry } from '@/api/admin'

type T = (key: string, values?: Record<string, unknown>) => string
type Te = (key: string) => boolean

// Fields whose values are codes the app already names: a role, a scope level.
const NAMED: Record<string, string> = { role: 'roles', scope_level: 'levels' }

function value(v: unknown, t: T, te: Te, field = ''): string {
  if (v === null || v === undefined || v === '') return t('admin.audit.empty')
  if (typeof v === 'string' && NAMED[field] && te(`${NAMED[field]}.${v}`)) return t(`${NAMED[field]}.${v}`)
  if (v === true) return t('admin.audit.yes')
  if (v === false) return t('admin.audit.no')
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

export function changeLines(entry: AuditEntry, t: T, te: Te): string[] {
  return Object.entries(entry.changes).map(([field, pair]) => {
    const name = te(`admin.fields.${field}`) ? t(`admin.fields.${field}`) : field
    const [before, after] = pair as [unknown, unknown]
    if (entry.action === 'create') return `${name}：${value(after, t, te, field)}`
    if (entry.action === 'delete') return `${name}：${value(before, t, te, field)}`
    return `${name}：${value(before, t, te, field)} → ${value(after, t, te, field)}`
  })
}

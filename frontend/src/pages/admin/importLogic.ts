// Excel导入 of the administration's lists: what each list's import shows (its template's name, the columns of its
// preview) and how a row's problems and status read. The screen is ExcelImport.vue; the backend checks every row.
import type { ImportPath, ImportReport, ImportRow } from '@/api/admin'

export type ImportKind = 'users' | 'team' | 'buildings' | 'places' | 'residents'

export interface ImportColumn {
  /** The field of the row's cells. */
  key: string
  /** The i18n key of the column's heading. */
  label: string
  /** The i18n prefix of the cell's value when it is a code (a role, a team role, a category). */
  codes?: string
}

export interface ImportKindSpec {
  path: ImportPath
  /** The name the template is saved under. */
  template: string
  columns: ImportColumn[]
}

const grid: ImportColumn = { key: 'grid_code', label: 'admin.import.gridCode' }

export const IMPORT_KINDS: Record<ImportKind, ImportKindSpec> = {
  users: {
    path: '/users/import',
    template: '用户导入模板.xlsx',
    columns: [
      { key: 'username', label: 'auth.username' },
      { key: 'display_name', label: 'admin.users.name' },
      { key: 'role', label: 'me.role', codes: 'roles' },
      { key: 'scope_code', label: 'admin.import.scopeCode' },
    ],
  },
  team: {
    path: '/team-members/import',
    template: '网格团队导入模板.xlsx',
    columns: [grid, { key: 'name', label: 'admin.people.name' }, { key: 'phone', label: 'admin.people.phone' }, { key: 'team_role', label: 'admin.people.teamRole', codes: 'admin.people.teamRoles' }],
  },
  buildings: {
    path: '/buildings/import',
    template: '楼栋导入模板.xlsx',
    columns: [grid, { key: 'name', label: 'admin.registers.fields.name' }, { key: 'head_name', label: 'admin.registers.head' }, { key: 'head_phone', label: 'admin.registers.fields.head_phone' }],
  },
  places: {
    path: '/places/import',
    template: '单位与商户导入模板.xlsx',
    columns: [grid, { key: 'category', label: 'admin.registers.category', codes: 'admin.registers.categories' }, { key: 'name', label: 'admin.registers.fields.name' }, { key: 'address', label: 'admin.registers.address' }],
  },
  residents: {
    path: '/special-residents/import',
    template: '特殊人群导入模板.xlsx',
    columns: [grid, { key: 'group', label: 'admin.residents.group' }, { key: 'name', label: 'admin.residents.name' }, { key: 'id_number', label: 'admin.residents.idNumber' }],
  },
}

/** The i18n key of a problem's message: the code's own, else "<field> is wrong" for a field-named code. */
export function problemKey(code: string, has: (key: string) => boolean): { key: string; field?: string } {
  const own = `admin.import.problems.${code}`
  if (has(own)) return { key: own }
  const m = /^(.+)-(required|invalid)$/.exec(code)
  if (m) return { key: `admin.import.problems.field-${m[2]}`, field: m[1] }
  return { key: 'admin.import.problems.unknown' }
}

/** What a cell shows: a code in words where the list has words for it, else the text; empty as a dash. */
export function cellText(row: ImportRow, column: ImportColumn, has: (key: string) => boolean, t: (key: string) => string): string {
  const value = row.cells[column.key] ?? ''
  if (!value) return '—'
  if (column.codes && has(`${column.codes}.${value}`)) return t(`${column.codes}.${value}`)
  return value
}

/** 确认导入 is offered when the file has new rows and no wrong one, and it was not applied yet. */
export function canApply(report: ImportReport | null, applied: boolean): boolean {
  return !!report && report.error === 0 && report.new > 0 && !applied
}

/** The rows to show first: wrong ones, then new, then those already there (the file's order within each). */
export function ordered(rows: ImportRow[]): ImportRow[] {
  const rank = { error: 0, new: 1, same: 2 } as const
  return [...rows].sort((a, b) => rank[a.status] - rank[b.status] || a.row - b.row)
}

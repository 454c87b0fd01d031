// Who may open which administration page: the same rule for the admin home's cards and for the route guard (a page
// the role may not use is not drawn at all; the API refuses it anyway).
import type { Role, ScopeLevel } from '@/api/types'

const ADMIN: Role[] = ['administrator']
const UNIT_KEEPERS: Role[] = ['administrator', 'street_officer', 'station_chief']
const CHIEFS_AND_ADMINS: Role[] = ['administrator', 'station_chief']
const STREET_KEEPERS: Role[] = ['administrator', 'street_officer']

export interface AdminPage {
  to: string
  roles: Role[]
  /** Only a system administrator (the whole system's settings). */
  system?: boolean
}

export const ADMIN_PAGES: AdminPage[] = [
  { to: '/admin/areas', roles: ADMIN },
  { to: '/admin/departments', roles: ADMIN },
  { to: '/admin/registers', roles: ADMIN },
  { to: '/admin/residents', roles: CHIEFS_AND_ADMINS },
  { to: '/admin/users', roles: ADMIN },
  { to: '/admin/people', roles: UNIT_KEEPERS },
  { to: '/admin/shifts', roles: UNIT_KEEPERS },
  { to: '/admin/tiers', roles: UNIT_KEEPERS },
  { to: '/admin/plans', roles: UNIT_KEEPERS },
  { to: '/admin/periods', roles: STREET_KEEPERS },
  { to: '/admin/categories', roles: ADMIN },
  { to: '/admin/calendar', roles: ADMIN },
  { to: '/admin/keys', roles: ADMIN, system: true },
  { to: '/admin/audit', roles: ADMIN },
  { to: '/admin/checklists', roles: STREET_KEEPERS },
  { to: '/admin/grids', roles: ADMIN },
  { to: '/admin/schemes', roles: ADMIN },
  { to: '/admin/personal-data', roles: ADMIN },
  { to: '/admin/reserve', roles: UNIT_KEEPERS },
  { to: '/admin/roster', roles: UNIT_KEEPERS },
]

/** Whether a user of this role and scope may open `path` (paths outside /admin: yes). */
export function mayOpen(path: string, role: Role | undefined, scope: ScopeLevel | undefined): boolean {
  if (!/^\/admin(\/|$)/.test(path)) return true
  if (!role) return false
  const page = ADMIN_PAGES.find((p) => path === p.to || path.startsWith(`${p.to}/`))
  if (!page) return UNIT_KEEPERS.includes(role) // the admin home
  return page.roles.includes(role) && (!page.system || scope === 'system')
}

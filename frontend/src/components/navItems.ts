// The entries of the main navigation, shared by the tab bar (phone) and the side navigation (desk).
import type { Role } from '@/api/types'

export interface NavItem {
  name: string
  to: string
  labelKey: string
  icon: string
  /** Only these roles see the entry (all when absent). */
  roles?: Role[]
}

export const navItems: NavItem[] = [
  { name: 'map', to: '/map', labelKey: 'nav.map', icon: 'location-o' },
  // 巡查 is the grid staff's daily work; my day and quick report are reached from it.
  { name: 'patrol', to: '/patrol', labelKey: 'nav.patrol', icon: 'guide-o', roles: ['grid_leader', 'grid_member'] },
  { name: 'matters', to: '/matters', labelKey: 'nav.matters', icon: 'todo-list-o' },
  // 管理: where a street office sets itself up — administrators everything, chiefs and street officers their units.
  { name: 'admin', to: '/admin', labelKey: 'nav.admin', icon: 'setting-o', roles: ['administrator', 'street_officer', 'station_chief'] },
  { name: 'me', to: '/me', labelKey: 'nav.me', icon: 'user-o' },
]

/** The navigation a role gets. */
export function navItemsFor(role: Role | undefined): NavItem[] {
  return navItems.filter((item) => !item.roles || (role !== undefined && item.roles.includes(role)))
}

/** Pages that belong to a tab without being under its path. */
const SECTION_OF: [string, string][] = [
  ['/supervision', '/matters'],
  ['/quick-report', '/patrol'],
  ['/my-day', '/patrol'],
  ['/leave', '/patrol'],
  ['/coverage', '/matters'],
  ['/visits', '/me'],
  ['/triage', '/matters'],
  ['/hazards', '/matters'],
  ['/incidents', '/matters'],
  ['/emergency', '/matters'],
  ['/password', '/me'],
  ['/logs', '/matters'],
  ['/inspections', '/patrol'],
]

export function sectionOf(path: string): string {
  return SECTION_OF.find(([prefix]) => path.startsWith(prefix))?.[1] ?? path
}

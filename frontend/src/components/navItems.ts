// The entries of the main navigation, shared by the tab bar (phone) and the side navigation (desk).
import type { Role } from '@/api/types'

export interface NavItem {
  name: string
  to: string
  labelKey: string
  icon: string
  /** Only these roles see the entry (all when absent). */
  roles?: Role[]
  /** Carries the unread notifications' count (the bell lives on this tab's page on a phone). */
  unread?: boolean
}

export const navItems: NavItem[] = [
  { name: 'map', to: '/map', labelKey: 'nav.map', icon: 'location-o' },
  // 巡查 is the grid staff's daily work; my day and quick report are reached from it.
  { name: 'patrol', to: '/patrol', labelKey: 'nav.patrol', icon: 'guide-o', roles: ['grid_leader', 'grid_member'] },
  { name: 'matters', to: '/matters', labelKey: 'nav.matters', icon: 'todo-list-o' },
  // 管理: where a street office sets itself up — administrators everything, chiefs and street officers their units.
  { name: 'admin', to: '/admin', labelKey: 'nav.admin', icon: 'setting-o', roles: ['administrator', 'street_officer', 'station_chief'] },
  { name: 'me', to: '/me', labelKey: 'nav.me', icon: 'user-o', unread: true },
]

// A desk's side navigation also reaches the pages a phone finds inside 事项: 督办, 今日巡查 (patrol coverage) and the
// duty roster 值班表 (the shifts page), a unit's work orders 工作单, the leaders' daily logs 工作日志 and, for a station
// chief, the daily triage meeting 研判会, and the tables of patrols 巡查记录 and home visits 走访记录, each for the roles the
// server lets read it. Shown after 事项.
export const deskItems: NavItem[] = [
  {
    name: 'supervision',
    to: '/supervision',
    labelKey: 'matters.supervision',
    icon: 'warning-o',
    roles: ['station_chief', 'street_officer', 'department_officer', 'administrator'],
  },
  { name: 'coverage', to: '/coverage', labelKey: 'coverage.link', icon: 'aim', roles: ['station_chief', 'street_officer', 'administrator'] },
  { name: 'roster', to: '/admin/shifts', labelKey: 'nav.roster', icon: 'calendar-o', roles: ['station_chief', 'street_officer', 'administrator'] },
  {
    name: 'handoffs',
    to: '/handoffs',
    labelKey: 'nav.handoffs',
    icon: 'exchange',
    roles: ['station_chief', 'street_officer', 'department_officer', 'administrator'],
  },
  { name: 'logs', to: '/logs', labelKey: 'nav.logs', icon: 'notes-o', roles: ['station_chief', 'street_officer', 'administrator'] },
  { name: 'triage', to: '/triage', labelKey: 'nav.triage', icon: 'cluster-o', roles: ['station_chief'] },
  { name: 'patrolsTable', to: '/patrols/table', labelKey: 'nav.patrolsTable', icon: 'guide-o', roles: ['station_chief', 'street_officer', 'administrator'] },
  { name: 'visitsTable', to: '/visits/table', labelKey: 'nav.visitsTable', icon: 'friends-o', roles: ['station_chief', 'street_officer', 'administrator'] },
  // The queues around the routes (待审批 for the level above the holder, 待核查, 待回访) and the 12345 hotline's orders.
  {
    name: 'applications',
    to: '/matters/applications',
    labelKey: 'nav.applications',
    icon: 'passed',
    roles: ['station_chief', 'street_officer', 'administrator'],
  },
  { name: 'verifications', to: '/matters/verifications', labelKey: 'nav.verifications', icon: 'certificate', roles: ['station_chief', 'street_officer'] },
  { name: 'callbacks', to: '/matters/callbacks', labelKey: 'nav.callbacks', icon: 'phone-o', roles: ['station_chief', 'street_officer'] },
  { name: 'hotline', to: '/matters/hotline', labelKey: 'nav.hotline', icon: 'service-o', roles: ['station_chief', 'street_officer', 'administrator'] },
  // 考核统计 (issue 12): each desk role's dashboard of its own unit.
  {
    name: 'assessment',
    to: '/assessment',
    labelKey: 'nav.assessment',
    icon: 'bar-chart-o',
    roles: ['station_chief', 'street_officer', 'department_officer', 'administrator'],
  },
  // 考核通报 (issue 12): the streets' monthly bulletins, for their officers and the administrators above them.
  { name: 'bulletins', to: '/assessment/bulletins', labelKey: 'nav.bulletins', icon: 'bullhorn-o', roles: ['street_officer', 'administrator'] },
  // 基础台账 (issue 14): the registries 一标三实 of the grids in scope; grid staff reach it from 巡查.
  { name: 'registry', to: '/registry', labelKey: 'nav.registry', icon: 'home-o', roles: ['station_chief', 'street_officer', 'administrator'] },
  // 逐户排查 (issue 14): household sweeps over chosen grids; grid staff tick theirs from 巡查 (/my-sweeps).
  { name: 'sweeps', to: '/sweeps', labelKey: 'nav.sweeps', icon: 'completed-o', roles: ['station_chief', 'street_officer', 'administrator'] },
  // 预警 (issue 14): the early warnings to the grids in scope, for everyone the server lets read them; chiefs and street
  // officers issue them there. On a phone they arrive in the bell and as the full-screen alert.
  {
    name: 'warnings',
    to: '/warnings',
    labelKey: 'nav.warnings',
    icon: 'volume-o',
    roles: ['grid_leader', 'grid_member', 'station_chief', 'street_officer', 'administrator'],
  },
]

/** The navigation a role gets: the tab bar's on a phone, with deskItems after 事项 on a desk. */
export function navItemsFor(role: Role | undefined, layout: 'phone' | 'desk' = 'phone'): NavItem[] {
  const allowed = (item: NavItem) => !item.roles || (role !== undefined && item.roles.includes(role))
  const items = navItems.filter(allowed)
  if (layout === 'phone') return items
  const at = items.findIndex((item) => item.name === 'matters') + 1
  return [...items.slice(0, at), ...deskItems.filter(allowed), ...items.slice(at)]
}

/** The entry a path belongs to: the one whose page it is (the longest match), else its section's. */
export function activeItemName(items: NavItem[], path: string): string | undefined {
  const own = items.filter((item) => path === item.to || path.startsWith(`${item.to}/`)).sort((a, b) => b.to.length - a.to.length)
  if (own.length) return own[0].name
  const section = sectionOf(path)
  return items.find((item) => section.startsWith(item.to))?.name
}

/** Pages that belong to a tab without being under its path. */
const SECTION_OF: [string, string][] = [
  ['/supervision', '/matters'],
  ['/quick-report', '/patrol'],
  ['/my-day', '/patrol'],
  ['/my-sweeps', '/patrol'],
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
  ['/patrols/table', '/matters'],
  ['/assessment', '/matters'],
]

export function sectionOf(path: string): string {
  return SECTION_OF.find(([prefix]) => path.startsWith(prefix))?.[1] ?? path
}

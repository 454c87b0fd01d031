// Which matter screens and boxes each role gets. The server decides what anyone may do; these only shape the UI.
import type { Box } from '@/api/matters'
import type { Role } from '@/api/types'
import { deskItems, type NavItem } from '@/components/navItems'

const GRID_STAFF: Role[] = ['grid_leader', 'grid_member']

export function boxesFor(role: Role | undefined): Box[] {
  if (role && GRID_STAFF.includes(role)) return ['mine', 'grid', 'unit', 'all']
  if (role === 'administrator') return ['mine', 'all']
  // 协办: a department convened to co-operate on another unit's matter finds it here.
  if (role === 'department_officer') return ['mine', 'unit', 'cooperating', 'all']
  return ['mine', 'unit', 'all']
}

/** Grid staff start on their grid; street and department officers on what their unit holds; the others on all. */
export function defaultBox(role: Role | undefined): Box {
  if (role && GRID_STAFF.includes(role)) return 'grid'
  if (role === 'street_officer' || role === 'department_officer') return 'unit'
  return 'all'
}

/** The 上报 button: grid staff and station chiefs enter matters. */
export function canReport(role: Role | undefined): boolean {
  return !!role && (GRID_STAFF.includes(role) || role === 'station_chief')
}

/** 督办: station chief, street, department, administrator. */
export function canSupervise(role: Role | undefined): boolean {
  return role === 'station_chief' || role === 'street_officer' || role === 'department_officer' || role === 'administrator'
}

/** 今日巡查 (patrol coverage): the roles the server lets read tracks (station chief, street officer, administrator). */
export function canSeeCoverage(role: Role | undefined): boolean {
  return role === 'station_chief' || role === 'street_officer' || role === 'administrator'
}

/** 入户走访 (home visits): grid leaders and station chiefs. */
export function canVisit(role: Role | undefined): boolean {
  return role === 'grid_leader' || role === 'station_chief'
}

/** 研判会 (the daily triage board): station chiefs (the server decides; administrators may look). */
export function canTriage(role: Role | undefined): boolean {
  return role === 'station_chief' || role === 'administrator'
}

/** 督办 note on a matter: station chiefs, street officers, administrators. */
export function canAddSupervisionNote(role: Role | undefined): boolean {
  return role === 'station_chief' || role === 'street_officer' || role === 'administrator'
}

/** 隐患台账 (hazard ledger): station chiefs and grid leaders, street officers and administrators. */
export function canSeeHazards(role: Role | undefined): boolean {
  return role === 'station_chief' || role === 'grid_leader' || role === 'street_officer' || role === 'administrator'
}

/** The red 上报突发 button: grid staff (and station chiefs). */
export function canRaiseEmergency(role: Role | undefined): boolean {
  return !!role && (GRID_STAFF.includes(role) || role === 'station_chief')
}

/** The emergency console's commands (incident list, tier activation): station chiefs, street officers, administrators. */
export function canCommandIncidents(role: Role | undefined): boolean {
  return role === 'station_chief' || role === 'street_officer' || role === 'administrator'
}

/** 工作日志 (the grid leaders' logs read from above): station chiefs, street officers, administrators. */
export function canReadLogs(role: Role | undefined): boolean {
  return role === 'station_chief' || role === 'street_officer' || role === 'administrator'
}

/** The queues around the routes (待审批, 待核查, 待回访) a role works, as the inbox links them: on a phone the side
 * navigation that lists them on a desk is not there. */
export function queueLinksFor(role: Role | undefined): NavItem[] {
  const queues = ['applications', 'verifications', 'callbacks']
  return deskItems.filter((item) => queues.includes(item.name) && role !== undefined && (item.roles ?? []).includes(role))
}

// Routes and the guard that keeps signed-out visitors on the login page.
import { createRouter, createWebHistory, type RouteLocationNormalized, type Router, type RouterHistory } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { loadSection, type Section } from '@/i18n'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean
    /** i18n key of the page title. */
    titleKey?: string
    /** Pages drawn without the tab bar / side navigation. */
    bare?: boolean
  }
}

export const routes = [
  { path: '/', redirect: '/map' },
  {
    path: '/login',
    name: 'login',
    component: () => import('@/pages/auth/LoginPage.vue'),
    meta: { public: true, bare: true, titleKey: 'auth.title' },
  },
  {
    path: '/report',
    name: 'report',
    component: () => import('@/pages/public/ReportPage.vue'),
    meta: { public: true, bare: true, titleKey: 'report.title' },
  },
  {
    path: '/track/:code?',
    name: 'track',
    component: () => import('@/pages/public/TrackPage.vue'),
    meta: { public: true, bare: true, titleKey: 'track.title' },
  },
  {
    path: '/report/mine',
    name: 'report-mine',
    component: () => import('@/pages/public/MyReportsPage.vue'),
    meta: { public: true, bare: true, titleKey: 'report.title' },
  },
  { path: '/matters', name: 'matters', component: () => import('@/pages/matters/InboxPage.vue'), meta: { titleKey: 'matters.title' } },
  {
    path: '/matters/new',
    name: 'matter-new',
    component: () => import('@/pages/matters/NewMatterPage.vue'),
    meta: { titleKey: 'matters.newTitle' },
  },
  {
    path: '/matters/:id(\\d+)',
    name: 'matter',
    component: () => import('@/pages/matters/MatterPage.vue'),
    meta: { titleKey: 'matters.detailTitle' },
  },
  {
    path: '/supervision',
    name: 'supervision',
    component: () => import('@/pages/matters/SupervisionPage.vue'),
    meta: { titleKey: 'matters.supervisionTitle' },
  },
  { path: '/patrol', name: 'patrol', component: () => import('@/pages/fieldwork/PatrolPage.vue'), meta: { titleKey: 'patrol.title' } },
  {
    path: '/quick-report',
    name: 'quick-report',
    component: () => import('@/pages/fieldwork/QuickReportPage.vue'),
    meta: { titleKey: 'quick.title' },
  },
  { path: '/my-day', name: 'my-day', component: () => import('@/pages/fieldwork/MyDayPage.vue'), meta: { titleKey: 'myday.title' } },
  { path: '/collect', name: 'collect', component: () => import('@/pages/fieldwork/CollectPage.vue'), meta: { titleKey: 'collect.title' } },
  { path: '/leave', name: 'leave', component: () => import('@/pages/fieldwork/LeavePage.vue'), meta: { titleKey: 'leave.title' } },
  {
    path: '/coverage',
    name: 'coverage',
    component: () => import('@/pages/fieldwork/CoveragePage.vue'),
    meta: { titleKey: 'coverage.title' },
  },
  { path: '/visits', name: 'visits', component: () => import('@/pages/fieldwork/VisitsPage.vue'), meta: { titleKey: 'visits.title' } },
  { path: '/handoffs', name: 'handoffs', component: () => import('@/pages/station/HandoffsPage.vue'), meta: { titleKey: 'nav.handoffs' } },
  { path: '/triage', name: 'triage', component: () => import('@/pages/station/TriagePage.vue'), meta: { titleKey: 'triage.title' } },
  { path: '/hazards', name: 'hazards', component: () => import('@/pages/station/HazardsPage.vue'), meta: { titleKey: 'hazards.title' } },
  {
    path: '/patrols/table',
    name: 'patrols-table',
    component: () => import('@/pages/desk/PatrolsTablePage.vue'),
    meta: { titleKey: 'nav.patrolsTable' },
  },
  {
    path: '/visits/table',
    name: 'visits-table',
    component: () => import('@/pages/desk/VisitsTablePage.vue'),
    meta: { titleKey: 'nav.visitsTable' },
  },
  {
    path: '/emergency/new',
    name: 'emergency-new',
    component: () => import('@/pages/emergency/NewEmergencyPage.vue'),
    meta: { titleKey: 'emergency.newTitle' },
  },
  { path: '/incidents', name: 'incidents', component: () => import('@/pages/emergency/IncidentsPage.vue'), meta: { titleKey: 'incident.listTitle' } },
  {
    path: '/incidents/:id(\\d+)',
    name: 'incident',
    component: () => import('@/pages/emergency/IncidentPage.vue'),
    meta: { titleKey: 'incident.title' },
  },
  { path: '/map', name: 'map', component: () => import('@/pages/grids/MapPage.vue'), meta: { titleKey: 'nav.map' } },
  { path: '/me', name: 'me', component: () => import('@/pages/me/MePage.vue'), meta: { titleKey: 'nav.me' } },
  {
    path: '/password',
    name: 'password',
    component: () => import('@/pages/auth/ChangePasswordPage.vue'),
    meta: { bare: true, titleKey: 'password.title' },
  },
  { path: '/admin', name: 'admin', component: () => import('@/pages/admin/AdminHome.vue'), meta: { titleKey: 'admin.title' } },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => import('@/pages/admin/UsersPage.vue'),
    meta: { titleKey: 'admin.users.title' },
  },
  {
    path: '/admin/areas',
    name: 'admin-areas',
    component: () => import('@/pages/admin/AreasPage.vue'),
    meta: { titleKey: 'admin.areas.title' },
  },
  {
    path: '/admin/keys',
    name: 'admin-keys',
    component: () => import('@/pages/admin/ApiKeysPage.vue'),
    meta: { titleKey: 'admin.keys.title' },
  },
  {
    path: '/admin/shifts',
    name: 'admin-shifts',
    component: () => import('@/pages/admin/ShiftsPage.vue'),
    meta: { titleKey: 'admin.shifts.title' },
  },
  {
    path: '/admin/departments',
    name: 'admin-departments',
    component: () => import('@/pages/admin/DepartmentsPage.vue'),
    meta: { titleKey: 'admin.departments.title' },
  },
  {
    path: '/admin/registers',
    name: 'admin-registers',
    component: () => import('@/pages/admin/RegistersPage.vue'),
    meta: { titleKey: 'admin.registers.title' },
  },
  {
    path: '/admin/plans',
    name: 'admin-plans',
    component: () => import('@/pages/admin/PlansPage.vue'),
    meta: { titleKey: 'admin.plans.title' },
  },
  {
    path: '/admin/residents',
    name: 'admin-residents',
    component: () => import('@/pages/admin/ResidentsPage.vue'),
    meta: { titleKey: 'admin.residents.title' },
  },
  {
    path: '/admin/periods',
    name: 'admin-periods',
    component: () => import('@/pages/admin/PeriodsPage.vue'),
    meta: { titleKey: 'admin.periods.title' },
  },
  {
    path: '/admin/tiers',
    name: 'admin-tiers',
    component: () => import('@/pages/admin/TiersPage.vue'),
    meta: { titleKey: 'admin.tiers.title' },
  },
  {
    path: '/admin/people',
    name: 'admin-people',
    component: () => import('@/pages/admin/PeoplePage.vue'),
    meta: { titleKey: 'admin.people.title' },
  },
  {
    path: '/admin/calendar',
    name: 'admin-calendar',
    component: () => import('@/pages/admin/CalendarPage.vue'),
    meta: { titleKey: 'admin.calendar.title' },
  },
  {
    path: '/admin/categories',
    name: 'admin-categories',
    component: () => import('@/pages/admin/CategoriesPage.vue'),
    meta: { titleKey: 'admin.categories.title' },
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: () => import('@/pages/admin/AuditPage.vue'),
    meta: { titleKey: 'admin.audit.title' },
  },
  {
    path: '/admin/checklists',
    name: 'admin-checklists',
    component: () => import('@/pages/admin/ChecklistsPage.vue'),
    meta: { titleKey: 'admin.checklists.title' },
  },
  { path: '/logs', name: 'logs', component: () => import('@/pages/station/LogsPage.vue'), meta: { titleKey: 'logs.title' } },
  {
    path: '/inspections',
    name: 'inspections',
    component: () => import('@/pages/fieldwork/InspectionsPage.vue'),
    meta: { titleKey: 'inspections.title' },
  },
  {
    path: '/admin/grids',
    name: 'admin-grids',
    component: () => import('@/pages/admin/GridsPage.vue'),
    meta: { titleKey: 'admin.grids.title' },
  },
  {
    path: '/admin/schemes',
    name: 'admin-schemes',
    component: () => import('@/pages/admin/AssessmentSchemesPage.vue'),
    meta: { titleKey: 'admin.schemes.title' },
  },
  {
    path: '/admin/reserve',
    name: 'admin-reserve',
    component: () => import('@/pages/admin/ReservePage.vue'),
    meta: { titleKey: 'admin.reserve.title' },
  },
  {
    path: '/admin/roster',
    name: 'admin-roster',
    component: () => import('@/pages/admin/RosterPage.vue'),
    meta: { titleKey: 'admin.roster.title' },
  },
  {
    path: '/matters/applications',
    name: 'applications',
    component: () => import('@/pages/desk/ApplicationsPage.vue'),
    meta: { titleKey: 'nav.applications' },
  },
  {
    path: '/matters/verifications',
    name: 'verifications',
    component: () => import('@/pages/desk/VerificationsPage.vue'),
    meta: { titleKey: 'nav.verifications' },
  },
  {
    path: '/matters/callbacks',
    name: 'callbacks',
    component: () => import('@/pages/desk/CallbacksPage.vue'),
    meta: { titleKey: 'nav.callbacks' },
  },
  {
    path: '/matters/hotline',
    name: 'hotline',
    component: () => import('@/pages/desk/HotlinePage.vue'),
    meta: { titleKey: 'nav.hotline' },
  },
  {
    path: '/assessment',
    name: 'assessment',
    component: () => import('@/pages/assessment/AssessmentPage.vue'),
    meta: { titleKey: 'assessment.title' },
  },
  {
    path: '/assessment/:level(grid|community|street|department|district)/:id(\\d+)',
    name: 'assessment-unit',
    component: () => import('@/pages/assessment/AssessmentPage.vue'),
    meta: { titleKey: 'assessment.title' },
  },
  {
    path: '/me/month',
    name: 'my-month',
    component: () => import('@/pages/assessment/MyMonthPage.vue'),
    meta: { titleKey: 'assessment.myMonth.title' },
  },
  {
    path: '/forbidden',
    name: 'forbidden',
    component: () => import('@/pages/auth/ForbiddenPage.vue'),
    meta: { titleKey: 'errors.forbidden' },
  },
  {
    path: '/board/:id(\\d+)?',
    name: 'board',
    component: () => import('@/pages/public/BoardPage.vue'),
    meta: { public: true, bare: true, titleKey: 'assessment.board.title' },
  },
  {
    path: '/assessment/bulletins',
    name: 'bulletins',
    component: () => import('@/pages/assessment/BulletinsPage.vue'),
    meta: { titleKey: 'assessment.bulletin.listTitle' },
  },
  {
    path: '/assessment/bulletins/:id(\\d+)',
    name: 'bulletin',
    component: () => import('@/pages/assessment/BulletinPage.vue'),
    meta: { bare: true, titleKey: 'assessment.bulletin.title' },
  },
  {
    path: '/who',
    name: 'who',
    component: () => import('@/pages/public/WhoPage.vue'),
    meta: { public: true, bare: true, titleKey: 'who.title' },
  },
  { path: '/registry', name: 'registry', component: () => import('@/pages/registry/RegistryPage.vue'), meta: { titleKey: 'nav.registry' } },
  {
    path: '/admin/personal-data',
    name: 'admin-personal-data',
    component: () => import('@/pages/registry/AccessLogPage.vue'),
    meta: { titleKey: 'admin.personalData.title' },
  },
  {
    path: '/warnings',
    name: 'warnings',
    component: () => import('@/pages/warnings/WarningsPage.vue'),
    meta: { titleKey: 'warning.title' },
  },
  {
    path: '/warnings/:id(\\d+)',
    name: 'warning',
    component: () => import('@/pages/warnings/WarningPage.vue'),
    meta: { titleKey: 'warning.title' },
  },
  // 逐户排查 (issue 14): the desk's campaigns, and the grid leader's checklist (my campaigns → buildings → households).
  { path: '/sweeps', name: 'sweeps', component: () => import('@/pages/sweeps/SweepsPage.vue'), meta: { titleKey: 'nav.sweeps' } },
  { path: '/sweeps/:id(\\d+)', name: 'sweep', component: () => import('@/pages/sweeps/SweepPage.vue'), meta: { titleKey: 'nav.sweeps' } },
  { path: '/my-sweeps', name: 'my-sweeps', component: () => import('@/pages/sweeps/MySweepsPage.vue'), meta: { titleKey: 'nav.sweeps' } },
  { path: '/my-sweeps/:id(\\d+)', name: 'my-sweep', component: () => import('@/pages/sweeps/MySweepsPage.vue'), meta: { titleKey: 'nav.sweeps' } },
  {
    path: '/my-sweeps/:id(\\d+)/buildings/:bid(\\d+)',
    name: 'my-sweep-building',
    component: () => import('@/pages/sweeps/MySweepsPage.vue'),
    meta: { titleKey: 'nav.sweeps' },
  },
  {
    path: '/incidents/:id(\\d+)/reports/:seq(\\d+)/print',
    name: 'incident-report-print',
    component: () => import('@/pages/emergency/ReportPrintPage.vue'),
    meta: { bare: true, titleKey: 'districtReport.title' },
  },
  { path: '/:pathMatch(.*)*', redirect: '/map' },
]

/** Where a visitor may go; exported for the unit test. */
export async function guard(to: RouteLocationNormalized) {
  const auth = useAuthStore()
  if (to.meta.public) {
    if (to.name === 'login' && auth.isAuthenticated) return safeRedirect(to.query.redirect)
    await wordsOf(to.path) // the tracking page's (issue 11)
    return true
  }
  if (!auth.isAuthenticated) {
    return { name: 'login', query: to.fullPath !== '/' && to.fullPath !== '/map' ? { redirect: to.fullPath } : {} }
  }
  if (!auth.user) {
    try {
      await auth.loadUser()
    } catch {
      // A dead session has been cleared by the API client; offline, the page still opens.
      if (!auth.isAuthenticated) return { name: 'login' }
    }
  }
  // A password an administrator reset is replaced first; nothing else opens until it is.
  if (auth.mustChangePassword && to.name !== 'password') return { name: 'password' }
  // A page the role may not use is not drawn at all (the API would refuse its every request anyway). The rule is
  // the administration's, fetched with it: the first screens of residents and grid leaders do not carry it.
  if (auth.user && /^\/admin(\/|$)/.test(to.path)) {
    const { mayOpen } = await import('@/pages/admin/access')
    if (!mayOpen(to.path, auth.user.role, auth.user.scope.level)) return { name: 'forbidden' }
  }
  await wordsOf(to.path)
  return true
}

/** The lazily fetched words of the page at `path`, if it has some. */
async function wordsOf(path: string): Promise<void> {
  const section = sectionOfPath(path)
  // The resident's pages (issue 13): the report's map, my reports, the tracking page (and the board and who is my
  // grid, which link to it).
  const resident = /^\/(report|track|board|who)(\/|$)/.test(path) && section !== 'resident'
  if (!section && !resident) return
  try {
    await Promise.all([section && loadSection(section), resident && loadSection('resident')])
  } catch {
    // Offline and never fetched: the page opens and shows its keys rather than nothing.
  }
}

/** The lazily fetched messages a page needs (i18n SECTIONS), by its path. */
export function sectionOfPath(path: string): Section | null {
  if (/^\/admin(\/|$)/.test(path)) return 'admin'
  if (/^\/(sweeps|my-sweeps)(\/|$)/.test(path)) return 'sweeps'
  if (/^\/(triage|hazards|emergency|incidents|logs|handoffs|patrols\/table|visits\/table|registry|warnings)(\/|$)/.test(path)) return 'station'
  if (/^\/matters\/(applications|verifications|callbacks|hotline)(\/|$)/.test(path)) return 'station'
  if (/^\/(my-day|leave|coverage|visits|inspections|patrol|quick-report|collect)(\/|$)/.test(path)) return 'field'
  // A matter's record and the resident's tracking page: the steps around the routes (issue 11).
  if (/^\/(matters\/\d+|track)(\/|$)/.test(path)) return 'loop'
  // The assessment 考核 pages and a grid leader's 我的本月 (issue 12).
  if (/^\/(assessment|me\/month)(\/|$)/.test(path)) return 'assessment'
  // The communities' public boards 公示栏 (issue 12) and who is my grid 亮证 (issue 13): their words are the
  // assessment's.
  if (/^\/(board|who)(\/|$)/.test(path)) return 'assessment'
  // The resident's report page and my reports (issue 13).
  if (/^\/report(\/|$)/.test(path)) return 'resident'
  return null
}

/** Only same-app paths are followed after login, never another origin. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && value !== '/login' ? value : '/map'
}

/** The pages a resident opens without an account (a report, a tracking link). */
export function isResidentPath(path: string): boolean {
  return /^\/(report|track|board|who)(\/|$)/.test(path)
}

export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)): Router {
  const router = createRouter({ history, routes })
  router.beforeEach(guard)
  return router
}

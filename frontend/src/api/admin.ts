// Endpoints of the administration area: users (/users), the audit log (/audit), the areas a user is bound to,
// the working calendar and the categories with their time limits.
import { api, requestBlob } from './client'
import type { Role, ScopeLevel, Schemas } from './types'
import { byNaturalName } from './fieldwork'

export type AdminUser = Schemas['UserOut']
export type UserCreate = Schemas['UserCreate']
export type UserUpdate = Schemas['UserUpdate']
export type PasswordReset = Schemas['PasswordReset']
export type AuditEntry = Schemas['AuditEntryOut']
export type AuditPage = Schemas['AuditPage']

export interface UserFilter {
  q?: string
  role?: Role
  active?: boolean
  limit?: number
  offset?: number
}

export function listUsers(filter: UserFilter = {}) {
  return api.get<{ items: AdminUser[]; total: number; limit: number; offset: number }>('/users', { query: { ...filter } })
}

export function createUser(body: UserCreate) {
  return api.post<AdminUser>('/users', { json: body })
}

export function updateUser(id: number, body: UserUpdate) {
  return api.patch<AdminUser>(`/users/${id}`, { json: body })
}

export function deactivateUser(id: number) {
  return api.post<AdminUser>(`/users/${id}/deactivate`)
}

export function reactivateUser(id: number) {
  return api.post<AdminUser>(`/users/${id}/reactivate`)
}

export function resetPassword(id: number) {
  return api.post<PasswordReset>(`/users/${id}/reset-password`)
}

export interface AuditFilter {
  entity?: string
  entity_id?: string
  action?: AuditEntry['action']
  since?: string
  until?: string
  before?: number
  limit?: number
}

export function listAudit(filter: AuditFilter = {}) {
  return api.get<AuditPage>('/audit', { query: { ...filter } })
}

/** The levels each role may be bound to (the backend's accounts.scope.ROLE_SCOPES). */
export const ROLE_SCOPES: Record<Role, ScopeLevel[]> = {
  administrator: ['system', 'district', 'street', 'community'],
  street_officer: ['street'],
  department_officer: ['department'],
  station_chief: ['community'],
  grid_leader: ['grid'],
  grid_member: ['grid'],
  resident: ['community', 'grid'],
}

export interface AreaChoice {
  id: number
  name: string
  code: string | null
}

const PLURAL: Record<Exclude<ScopeLevel, 'system'>, string> = {
  district: '/districts',
  street: '/streets',
  community: '/communities',
  grid: '/grids',
  department: '/departments',
}

/** The active areas of one level the caller may see, to bind a user to. */
export async function listScopeChoices(level: Exclude<ScopeLevel, 'system'>): Promise<AreaChoice[]> {
  const page = await api.get<{ items: AreaChoice[] }>(PLURAL[level], { query: { limit: 1000, active: true } })
  return page.items.map((a) => ({ id: a.id, name: a.name, code: a.code ?? null }))
}

export type CalendarStatus = Schemas['CalendarStatus']
export type CalendarOverride = Schemas['OverrideOut']

/** Which years the holiday schedule is known for, and the days entered by hand. */
export function calendarStatus() {
  return api.get<CalendarStatus>('/calendar')
}

/** Says that a year the holiday library does not know has been entered in full (or takes it back). */
export function setCalendarYear(year: number, complete: boolean) {
  return api.put<{ year: number; complete: boolean }>(`/calendar/years/${year}`, { json: { complete } })
}

/** A day worked or off, over what the holiday library says (system or district administrators). */
export function setCalendarDay(day: string, isWorkday: boolean, note: string | null) {
  return api.put<CalendarOverride>(`/calendar/overrides/${day}`, { json: { is_workday: isWorkday, note } })
}

export type TierCandidate = Schemas['TierCandidate']
export type TierIn = Schemas['TierIn']
export type TierOut = Schemas['TierOut']
export type UnitLevel = TierIn['unit_level']

/** The tiers of one community or street. */
export function listTiers(unitLevel: UnitLevel, unitId: number) {
  return api.get<TierOut[]>('/response-tiers', { query: { unit_level: unitLevel, unit_id: unitId } })
}

/** Who a tier of this unit may name: its active staff. */
export function tierCandidates(unitLevel: UnitLevel, unitId: number) {
  return api.get<TierCandidate[]>('/response-tiers/candidates', { query: { unit_level: unitLevel, unit_id: unitId } })
}

/** Creates or replaces one tier (1–3) of a unit with its members. */
export function putTier(body: TierIn) {
  return api.put<TierOut>('/response-tiers', { json: body })
}

export type AdminCategory = Schemas['CategoryOut']
export type CategoryUpdate = Schemas['CategoryUpdate']

/** Every category, the deactivated ones too (system and district administrators); the others get the active ones. */
export function listCategories(includeInactive: boolean) {
  return api.get<AdminCategory[]>('/categories', { query: includeInactive ? { include_inactive: true } : {} })
}

/** Changes a category; `time_limits`, when sent, replaces the whole dict. */
export function updateCategory(id: number, body: CategoryUpdate) {
  return api.patch<AdminCategory>(`/categories/${id}`, { json: body })
}

export type Area = Schemas['AreaOut']
export type AreaLevel = 'district' | 'street' | 'community'
export type CommunityFigures = Schemas['CommunityFigures']
export type GridImportResult = Schemas['ImportResult']

const AREA_PATH: Record<AreaLevel, string> = { district: '/districts', street: '/streets', community: '/communities' }
const PARENT_PARAM: Record<AreaLevel, string | null> = { district: null, street: 'district_id', community: 'street_id' }

/** The areas of one level the caller sees, active or not, under one parent. */
export async function listAreas(level: AreaLevel, parentId?: number): Promise<Area[]> {
  const parent = PARENT_PARAM[level]
  const query: Record<string, number> = { limit: 1000 }
  if (parent && parentId !== undefined) query[parent] = parentId
  return (await api.get<{ items: Area[] }>(AREA_PATH[level], { query })).items
}

/** A new district (system administrators), street or community; the code must start with its parent's. */
export function createArea(level: AreaLevel, body: { code: string; name: string; parentId?: number }) {
  const parent = PARENT_PARAM[level]
  const json: Record<string, unknown> = { code: body.code, name: body.name }
  if (parent) json[parent] = body.parentId
  return api.post<Area>(AREA_PATH[level], { json })
}

export function renameArea(level: AreaLevel, id: number, name: string) {
  return api.patch<Area>(`${AREA_PATH[level]}/${id}`, { json: { name } })
}

/** An area's boundary (a GeoJSON Polygon or MultiPolygon in WGS 84). */
export function setAreaBoundary(level: AreaLevel, id: number, geometry: unknown) {
  return api.patch<Area>(`${AREA_PATH[level]}/${id}`, { json: { geometry } })
}

export function deactivateArea(level: AreaLevel, id: number) {
  return api.post<Area>(`${AREA_PATH[level]}/${id}/deactivate`)
}

/** The communities' figures computed from their grids and places. */
export function communityFigures(streetId?: number) {
  return api.get<CommunityFigures[]>('/communities/figures', { query: streetId === undefined ? {} : { street_id: streetId } })
}

/** A community's grids from a GeoJSON FeatureCollection, by code; all or nothing (422 names each bad feature). */
export function importGrids(communityId: number, collection: unknown) {
  return api.post<GridImportResult>(`/communities/${communityId}/grids/import`, { json: collection })
}

export type ApiKey = Schemas['ApiKeyOut']
export type ApiKeyCreated = Schemas['ApiKeyCreated']

export function listApiKeys() {
  return api.get<ApiKey[]>('/api-keys')
}

/** A new Open311 key: the answer holds the key itself, this once. */
export function createApiKey(name: string) {
  return api.post<ApiKeyCreated>('/api-keys', { json: { name } })
}

export function deactivateApiKey(id: number) {
  return api.post<ApiKey>(`/api-keys/${id}/deactivate`)
}

export type AdminGrid = Schemas['GridOut']
export type Leadership = Schemas['LeadershipOut']
export type LeaderCandidate = Schemas['LeaderCandidate']
export type TeamMember = Schemas['TeamMemberOut']
export type TeamMemberIn = Schemas['TeamMemberIn']
export type PostPair = Schemas['PairOut']
export type PairSuggestion = Schemas['PairSuggestion']

/** The active grids of one community. */
export async function listCommunityGrids(communityId: number): Promise<AdminGrid[]> {
  const page = await api.get<{ items: AdminGrid[] }>('/grids', { query: { community_id: communityId, active: true, limit: 1000 } })
  return page.items
}

/** Who led the grid when, newest first; the row without `ended_at` is the leader now. */
export function gridLeaders(gridId: number) {
  return api.get<Leadership[]>(`/grids/${gridId}/leaders`)
}

/** Names `userId` (an active grid leader whose grid this is) the grid's leader; the history is kept. */
export function setGridLeader(gridId: number, userId: number) {
  return api.put<Leadership>(`/grids/${gridId}/leader`, { json: { user_id: userId } })
}

/** The community's active grid leaders, each with the grid they may be named to. */
export function leaderCandidates(communityId: number) {
  return api.get<LeaderCandidate[]>(`/communities/${communityId}/leader-candidates`)
}

/** The grid's current team. */
export function gridTeam(gridId: number) {
  return api.get<TeamMember[]>(`/grids/${gridId}/team`)
}

export function addTeamMember(gridId: number, body: TeamMemberIn) {
  return api.post<TeamMember>(`/grids/${gridId}/team`, { json: body })
}

/** The member stops serving on `endDate` (YYYY-MM-DD); the record is kept. */
/** Correct a team member: name, phone, team role, staff types, start date, note. */
export function updateTeamMember(memberId: number, body: Schemas['TeamMemberUpdate']) {
  return api.patch<TeamMember>(`/team-members/${memberId}`, { json: body })
}

export function endTeamMember(memberId: number, endDate: string) {
  return api.post<TeamMember>(`/team-members/${memberId}/end`, { json: { end_date: endDate } })
}

/** The active A/B pairs in the caller's scope. */
export function listPostPairs() {
  return api.get<PostPair[]>('/post-pairs')
}

/** Pairs two adjacent grids (422 `not-adjacent` otherwise). */
export function createPostPair(gridAId: number, gridBId: number) {
  return api.post<PostPair>('/post-pairs', { json: { grid_a_id: gridAId, grid_b_id: gridBId } })
}

export function endPostPair(pairId: number) {
  return api.post<PostPair>(`/post-pairs/${pairId}/end`)
}

/** Adjacent active grids of the community of which neither is paired yet. */
export function pairSuggestions(communityId: number) {
  return api.get<PairSuggestion[]>('/post-pairs/suggestions', { query: { community_id: communityId } })
}

export type Shift = Schemas['ShiftOut']
export type ShiftIn = Schemas['ShiftIn']
export type Roster = Schemas['RosterOut']

/** The shifts the caller may read (a community's leaders' for its chief). */
export function listShifts() {
  return api.get<Shift[]>('/shifts')
}

export function addShift(body: ShiftIn) {
  return api.post<Shift>('/shifts', { json: body })
}

export function deleteShift(id: number) {
  return api.delete<void>(`/shifts/${id}`)
}

/** The week starting `monday` (YYYY-MM-DD) day by day: who works when, and who covers whom. */
export function weekRoster(communityId: number, monday: string) {
  return api.get<Roster>('/fieldwork/roster', { query: { community_id: communityId, week: monday } })
}

export type Department = Schemas['DepartmentOut']
export type DepartmentCreate = Schemas['DepartmentCreate']
export type DepartmentUpdate = Schemas['DepartmentUpdate']

/** The departments the caller sees, active or not. */
export async function listDepartments(): Promise<Department[]> {
  return (await api.get<{ items: Department[] }>('/departments', { query: { limit: 1000 } })).items
}

export function createDepartment(body: DepartmentCreate) {
  return api.post<Department>('/departments', { json: body })
}

export function updateDepartment(id: number, body: DepartmentUpdate) {
  return api.patch<Department>(`/departments/${id}`, { json: body })
}

export function deactivateDepartment(id: number) {
  return api.post<Department>(`/departments/${id}/deactivate`)
}

export type Building = Schemas['BuildingOut']
export type BuildingCreate = Schemas['BuildingCreate']
export type Place = Schemas['PlaceOut']
export type PlaceCreate = Schemas['PlaceCreate']

export async function listBuildings(gridId: number): Promise<Building[]> {
  return byNaturalName((await api.get<{ items: Building[] }>(`/grids/${gridId}/buildings`, { query: { limit: 1000 } })).items)
}

export function createBuilding(gridId: number, body: BuildingCreate) {
  return api.post<Building>(`/grids/${gridId}/buildings`, { json: body })
}

export function updateBuilding(id: number, body: Partial<BuildingCreate>) {
  return api.patch<Building>(`/buildings/${id}`, { json: body })
}

export function deactivateBuilding(id: number) {
  return api.post<Building>(`/buildings/${id}/deactivate`)
}

export async function listPlaces(gridId: number): Promise<Place[]> {
  return (await api.get<{ items: Place[] }>(`/grids/${gridId}/places`, { query: { limit: 1000 } })).items
}

export function createPlace(gridId: number, body: PlaceCreate) {
  return api.post<Place>(`/grids/${gridId}/places`, { json: body })
}

export function updatePlace(id: number, body: Partial<Omit<PlaceCreate, 'category'>>) {
  return api.patch<Place>(`/places/${id}`, { json: body })
}

export function deactivatePlace(id: number) {
  return api.post<Place>(`/places/${id}/deactivate`)
}

export type Plan = Schemas['PlanOut']
export type PlanIn = Schemas['PlanIn']
export type PlanUpdate = Schemas['PlanUpdate']
export type Drill = Schemas['DrillOut']
export type DrillIn = Schemas['DrillIn']

export function listPlans() {
  return api.get<Plan[]>('/contingency-plans')
}

export function createPlan(body: PlanIn) {
  return api.post<Plan>('/contingency-plans', { json: body })
}

export function updatePlan(id: number, body: PlanUpdate) {
  return api.patch<Plan>(`/contingency-plans/${id}`, { json: body })
}

export function listDrills() {
  return api.get<Drill[]>('/drills')
}

export function recordDrill(body: DrillIn) {
  return api.post<Drill>('/drills', { json: body })
}

export type SpecialGroup = Schemas['SpecialGroupOut']
export type Resident = Schemas['ResidentOut']
export type ResidentIn = Schemas['ResidentIn']
export type ResidentUpdate = Schemas['ResidentUpdate']

export function listSpecialGroups() {
  return api.get<SpecialGroup[]>('/special-groups')
}

/** Rename a special group, change its visit interval, or take it out of use (system and district administrators). */
export function updateSpecialGroup(id: number, body: Schemas['SpecialGroupUpdate']) {
  return api.patch<SpecialGroup>(`/special-groups/${id}`, { json: body })
}

/** The active special-group residents of a grid. */
export function listResidents(gridId: number) {
  return api.get<Resident[]>('/special-residents', { query: { grid_id: gridId } })
}

/** The special-group residents in scope with this identity number (exact match; 422 `id-number-invalid`). */
export function findResidents(idNumber: string) {
  return api.get<Resident[]>('/special-residents', { query: { id_number: idNumber } })
}

export function addResident(body: ResidentIn) {
  return api.post<Resident>('/special-residents', { json: body })
}

export function updateResident(id: number, body: ResidentUpdate) {
  return api.patch<Resident>(`/special-residents/${id}`, { json: body })
}

export function deactivateResident(id: number) {
  return api.post<Resident>(`/special-residents/${id}/deactivate`)
}

export type SpecialPeriod = Schemas['SpecialPeriodOut']
export type SpecialPeriodCreate = Schemas['SpecialPeriodCreate']

/** 特护期 of the streets the caller sees: hazard reporting is daily while one lasts. */
export async function listSpecialPeriods(): Promise<SpecialPeriod[]> {
  return (await api.get<Schemas['SpecialPeriodList']>('/hazards/special-periods')).items
}

export function createSpecialPeriod(body: SpecialPeriodCreate) {
  return api.post<SpecialPeriod>('/hazards/special-periods', { json: body })
}

export type ImportReport = Schemas['ImportReport']
export type ImportRow = Schemas['ImportRow']

/** The lists that come from Excel: each has a template (`<path>/template.xlsx`) and an upload (`<path>`). */
export type ImportPath = '/users/import' | '/team-members/import' | '/buildings/import' | '/places/import' | '/special-residents/import'

/** The Excel template of a list: Chinese headers, an example row, a sheet of notes. */
export function importTemplate(path: ImportPath) {
  return requestBlob(`${path}/template.xlsx`)
}

/** Checks a filled template (apply=false) or creates its new rows, all or nothing (apply=true). */
export function importFile(path: ImportPath, file: File, apply: boolean) {
  const formData = new FormData()
  formData.append('file', file)
  return api.post<ImportReport>(path, { formData, query: { apply } })
}

// --- the grid editor (管理 → 网格划分) ------------------------------------------------------------------------------

export type Coverage = Schemas['CoverageOut']
export type GridKind = Schemas['GridOut']['kind']

/** A community with its boundary. */
export function getCommunity(id: number) {
  return api.get<Area>(`/communities/${id}`)
}

/** The active grids of one community, with their shapes. */
export async function listGridShapes(communityId: number): Promise<AdminGrid[]> {
  const query = { community_id: communityId, active: true, with_geometry: true, limit: 1000 }
  return (await api.get<{ items: AdminGrid[] }>('/grids', { query })).items
}

/** The parts of the community no active grid covers, and the figures. */
export function communityCoverage(communityId: number) {
  return api.get<Coverage>(`/communities/${communityId}/coverage`)
}

/** A new grid (its shape checked against the boundary and the neighbours: 422 names each problem). */
export function createGrid(body: { community_id: number; code: string; name: string; kind: GridKind; geometry: GeoJSON.Polygon }) {
  return api.post<AdminGrid>('/grids', { json: body })
}

export function setGridShape(gridId: number, geometry: GeoJSON.Polygon) {
  return api.patch<AdminGrid>(`/grids/${gridId}`, { json: { geometry } })
}

/** Cuts the grid along `line`; the smaller part becomes the new grid (422 `split-not-two-parts`). */
export function splitGrid(gridId: number, body: { line: GeoJSON.LineString; code: string; name: string; kind: GridKind }) {
  return api.post<Schemas['GridSplitOut']>(`/grids/${gridId}/split`, { json: body })
}

/** The grid absorbs `otherId` (422 `grids-not-adjacent`, 409 `grid-has-staff`); the other is deactivated. */
export function mergeGrids(gridId: number, otherId: number) {
  return api.post<Schemas['GridMergeOut']>(`/grids/${gridId}/merge`, { json: { other_id: otherId } })
}

/** The grid's published duty number 网格值班电话 (亮证); null clears it (422 `phone-invalid` for what is not one). */
export function setGridDutyPhone(gridId: number, dutyPhone: string | null) {
  return api.patch<AdminGrid>(`/grids/${gridId}`, { json: { duty_phone: dutyPhone } })
}

/** A community's name and its station's duty phone 服务站值班电话. */
export function updateCommunity(communityId: number, body: { name?: string; duty_phone?: string | null }) {
  return api.patch<Area>(`/communities/${communityId}`, { json: body })
}

// Hand-written types for the backend's responses (API v1). Keep in step with the backend's schemas.

/** RFC 9457 problem details, as every error of the API is rendered. */
export interface ProblemDetails {
  type?: string
  title?: string
  status?: number
  detail?: string
  instance?: string
  /** Present on 422: one entry per invalid field. */
  errors?: FieldError[]
  [extension: string]: unknown
}

export interface FieldError {
  /** Where the error is, e.g. ["body", "password"] or ["query", "community_id"]. */
  loc: string[]
  msg: string
  type: string
}

/** GET /api/v1/meta (no auth). */
export interface Meta {
  app_name: string
  version: string
  /** Empty when no tile server is configured; otherwise an XYZ template such as https://.../{z}/{x}/{y}.png */
  tile_url: string
  tile_attribution: string
  /** [lat, lon] */
  default_center: [number, number]
  default_zoom: number
}

/** POST /api/v1/auth/token and /api/v1/auth/refresh. */
export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'bearer'
  /** Seconds until the access token expires. */
  expires_in: number
}

export type Role =
  | 'administrator'
  | 'street_officer'
  | 'department_officer'
  | 'station_chief'
  | 'grid_leader'
  | 'grid_member'
  | 'resident'

export type ScopeLevel = 'system' | 'district' | 'street' | 'community' | 'grid' | 'department'

export interface Scope {
  level: ScopeLevel
  id: number | null
  name: string
  code: string | null
}

/** GET /api/v1/auth/me */
export interface CurrentUser {
  id: number
  username: string
  display_name: string
  role: Role
  scope: Scope
  is_active: boolean
}

export type GridKind = 'self_managed' | 'property_managed' | 'work_unit' | 'other'

/** The figures of one grid, as carried in the properties of GET /api/v1/grids/export. */
export interface GridProperties {
  id: number
  /** 15-digit code. */
  code: string
  name: string
  kind: GridKind
  community_id: number
  community_name: string
  community_code: string
  households: number
  registered_population: number
  floating_population: number
  area_m2: number
  building_count: number
  institution_count: number
  business_count: number
  leader_name: string | null
  is_active: boolean
}

/** Positions are [lon, lat] (GeoJSON order). */
export type Position = [number, number] | [number, number, number]

export interface PolygonGeometry {
  type: 'Polygon'
  coordinates: Position[][]
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon'
  coordinates: Position[][][]
}

export interface GridFeature {
  type: 'Feature'
  id?: number | string
  geometry: PolygonGeometry | MultiPolygonGeometry
  properties: GridProperties
}

/** GET /api/v1/grids/export */
export interface GridFeatureCollection {
  type: 'FeatureCollection'
  features: GridFeature[]
}

// --- matters (事项) ---------------------------------------------------------------------------------------------

export type MatterStatus =
  | 'submitted'
  | 'accepted'
  | 'at_station'
  | 'escalated'
  | 'handling'
  | 'emergency'
  | 'approval_review'
  | 'approval_decision'
  | 'public_notice'
  | 'resolved'
  | 'closed'
  | 'merged'

export type HolderLevel = 'grid' | 'station' | 'street' | 'department'

export type Rating = 'satisfied' | 'basically_satisfied' | 'not_satisfied'

/** GET /api/v1/categories and /api/v1/public/categories. */
export interface Category {
  id: number
  code: string
  name_zh: string
  name_en: string
  /** A Vant icon name. */
  icon: string
  level: string
  department_id: number | null
  default_route: string
  is_emergency: boolean
  is_active: boolean
}

export interface Ref {
  id: number
  name: string
  code?: string | null
}

export interface Deadlines {
  sign_due_at: string | null
  due_at: string | null
  notice_ends_at: string | null
  overdue: boolean
  due_soon: boolean
}

export interface FiveHaves {
  found_by: string | null
  reported_by: string | null
  responsible: string | null
  resolved_by: string | null
  supervised_by: string | null
}

export interface Photo {
  id: number
  url: string
  thumb_url: string
  width: number
  height: number
  taken_at: string | null
  lat: number | null
  lon: number | null
}

/** POST /api/v1/photos and /api/v1/public/photos. */
export interface UploadedPhoto extends Photo {
  token: string
}

export interface PossibleDuplicate {
  id: number
  tracking_code: string
  description: string
  status: MatterStatus
  distance_m: number
}

/** GET /api/v1/matters/{id}. */
export interface Matter {
  id: number
  tracking_code: string
  category: Ref
  description: string
  address: string | null
  lat: number | null
  lon: number | null
  grid: Ref | null
  community: Ref | null
  source: string
  status: MatterStatus
  route: string | null
  holder: { level: HolderLevel; department_id?: number | null; name: string | null }
  owner: Ref | null
  reporter_name: string | null
  reporter_phone: string | null
  result: string | null
  outcome: string | null
  rating: Rating | null
  rating_comment: string | null
  reopen_count: number
  merged_into_id: number | null
  deadlines: Deadlines
  five_haves: FiveHaves
  allowed_actions: string[]
  photos: Photo[]
  version: number
  created_at: string
  updated_at: string
  resolved_at: string | null
  closed_at: string | null
  possible_duplicates?: PossibleDuplicate[] | null
  /** The A/B partner covering the owner's leave (issue 4), when there is one. */
  covered_by?: { id: number; name: string; until?: string | null } | null
}

/** One row of GET /api/v1/matters. */
export interface MatterListItem {
  id: number
  tracking_code: string
  category: Ref
  description: string
  status: MatterStatus
  route: string | null
  holder_level: HolderLevel
  grid: string | null
  owner_id: number | null
  created_at: string
  deadlines: Deadlines
}

export interface MatterPage {
  items: MatterListItem[]
  total: number
  limit?: number
  offset?: number
}

export interface MatterEvent {
  id: number
  at: string
  actor: string
  action: string
  from_status: MatterStatus | null
  to_status: MatterStatus | null
  data: Record<string, unknown>
}

export interface Handoff {
  id: number
  from_level: HolderLevel
  from_department_id: number | null
  from_user: string | null
  to_level: HolderLevel
  to_department_id: number | null
  to_user: string | null
  reason: string
  created_at: string
  sign_due_at: string | null
  due_at: string | null
  signed_at: string | null
  returned_at: string | null
  return_reason: string | null
}

export interface SupervisionItem {
  id: number
  tracking_code: string
  category: Ref
  status: MatterStatus
  holder: { level: HolderLevel; name: string | null }
  owner: string | null
  since: string | null
  overdue: boolean
  due_soon: boolean
  due_at: string | null
  sign_due_at: string | null
}

export interface Department {
  id: number
  name: string
  level: string
}

export interface ActionBody {
  reason?: string
  result?: string
  target?: { level: 'street' | 'department'; department_id?: number }
  into?: number
}

export interface StaffMatterCreate {
  category: string
  description: string
  lat?: number
  lon?: number
  address?: string
  source: 'field' | 'front_desk'
  reporter_name?: string
  reporter_phone?: string
  handled_on_spot: boolean
  result?: string
  photo_ids: number[]
}

export interface PublicMatterCreate {
  category: string
  description: string
  lat: number
  lon: number
  address?: string
  reporter_name?: string
  reporter_phone: string
  photo_tokens: string[]
}

/** 201 of POST /api/v1/public/matters. */
export interface PublicCreated {
  tracking_code: string
  /** The secret of the tracking link (/track/CODE#t=TOKEN); shown once, the server keeps only its hash. */
  tracking_token: string
  status: MatterStatus
  grid: string
  community: string
  message: string
}

/** GET /api/v1/public/matters/{code}?phone_last4=. */
export interface PublicMatter {
  tracking_code: string
  category: Ref
  description: string
  address: string | null
  status: MatterStatus
  created_at: string
  resolved_at: string | null
  result: string | null
  rating: Rating | null
  can_rate: boolean
  can_object: boolean
  notice_ends_at: string | null
  photos: Photo[]
  steps: { at: string; action: string; status: MatterStatus | null }[]
}

export interface AppNotification {
  id: number
  topic: string
  title: string
  body: string
  matter_id: number | null
  created_at: string
  read_at: string | null
}

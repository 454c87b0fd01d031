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

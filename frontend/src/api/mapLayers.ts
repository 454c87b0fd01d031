// The desk map's layers: GET /api/v1/map/layers (open and overdue matters, incidents, today's tracks, hazards).
import { api } from './client'
import type { components } from './schema'

export type MapLayers = components['schemas']['MapLayersOut']
export type MatterFeature = components['schemas']['MatterFeature']
export type IncidentFeature = components['schemas']['IncidentFeature']
export type TrackFeature = components['schemas']['TrackFeature']
export type HazardFeature = components['schemas']['HazardFeature']

/** The layers named (comma-separated), within the caller's scope and, when given, the box `south,west,north,east`. */
export function fetchMapLayers(layers: string, bbox?: string, signal?: AbortSignal) {
  return api.get<MapLayers>('/map/layers', { query: { layers, bbox }, signal })
}

// Pure parts of the basemap module (basemap.ts): which basemap the server describes, the Leaflet options of its
// layers.
import type { Basemap, BasemapLayer, Meta } from '@/api/types'

/** The basemap of the server's meta (none when the meta is missing). */
export function basemapOf(meta: Pick<Meta, 'basemap'> | null): Basemap {
  return meta?.basemap ?? { preset: 'none', datum: 'wgs84', layers: [] }
}

/** Leaflet's tileLayer options for one layer. */
export function layerOptions(layer: BasemapLayer) {
  return {
    attribution: layer.attribution || undefined,
    maxZoom: layer.max_zoom,
    ...(layer.max_native_zoom != null ? { maxNativeZoom: layer.max_native_zoom } : {}),
    ...(layer.subdomains.length ? { subdomains: layer.subdomains } : {}),
  }
}

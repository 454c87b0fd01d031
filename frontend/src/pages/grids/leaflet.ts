// Leaflet with its stylesheet and default marker images bundled by Vite (no CDN).
// Leaflet guesses the marker image path from its CSS, which fails once Vite hashes the file names,
// so the image URLs are handed over explicitly.
import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import iconUrl from 'leaflet/dist/images/marker-icon.png'
import iconRetinaUrl from 'leaflet/dist/images/marker-icon-2x.png'
import shadowUrl from 'leaflet/dist/images/marker-shadow.png'
import { i18n } from '@/i18n'

delete (L.Icon.Default.prototype as unknown as { _getIconUrl?: unknown })._getIconUrl
L.Icon.Default.mergeOptions({ iconUrl, iconRetinaUrl, shadowUrl })

// The zoom buttons' titles (read by screen readers) in the app's language, not Leaflet's English: the language of
// the moment Leaflet is first loaded (a switch later takes effect with the next start of the app).
L.Control.Zoom.mergeOptions({ zoomInTitle: i18n.global.t('map.zoomIn'), zoomOutTitle: i18n.global.t('map.zoomOut') })

export default L

// What the resident's phone keeps for itself (localStorage, no account): the report being written (a draft that
// survives a reload: text, category, place, contact fields and the photos — which are uploaded as soon as they are
// chosen, so only their tokens and thumbnails are kept) and the reports sent from this device with their tracking
// links. Free of Vue; the report page is a first screen, so only this travels with it (./residentLogic the rest).
import type { UploadedPhoto } from '@/api/types'

export const DRAFT_KEY = 'wangge.reportDraft'
export const MINE_KEY = 'wangge.myReports'
export const MAX_MINE = 50

export interface Draft {
  category: string | null
  description: string
  place: { lat: number; lon: number } | null
  address: string
  name: string
  phone: string
  photos: UploadedPhoto[]
}

export const EMPTY_DRAFT: Draft = { category: null, description: '', place: null, address: '', name: '', phone: '', photos: [] }

export function read(key: string): unknown {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null')
  } catch {
    return null
  }
}

export function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // Private mode or full storage: the phone just remembers less.
  }
}

const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '')
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v)

function isPhoto(p: unknown): p is UploadedPhoto {
  const o = p as Record<string, unknown> | null
  return !!o && typeof o.token === 'string' && typeof o.thumb_url === 'string' && typeof o.url === 'string' && typeof o.id === 'number'
}

/** True when nothing worth keeping has been entered. */
export function isEmptyDraft(d: Draft): boolean {
  return !d.category && !d.description.trim() && !d.place && !d.address.trim() && !d.name.trim() && !d.phone.trim() && !d.photos.length
}

/** The kept draft, checked field by field (a damaged or foreign value is dropped, never trusted). */
export function loadDraft(): Draft {
  const raw = read(DRAFT_KEY) as Record<string, unknown> | null
  if (!raw || typeof raw !== 'object') return { ...EMPTY_DRAFT, photos: [] }
  const place = raw.place as Record<string, unknown> | null
  return {
    category: typeof raw.category === 'string' && /^[a-z_]{2,40}$/.test(raw.category) ? raw.category : null,
    description: str(raw.description, 2000),
    place: place && num(place.lat) && num(place.lon) ? { lat: place.lat as number, lon: place.lon as number } : null,
    address: str(raw.address, 300),
    name: str(raw.name, 50),
    phone: str(raw.phone, 11),
    photos: Array.isArray(raw.photos) ? raw.photos.filter(isPhoto).slice(0, 9) : [],
  }
}

export function saveDraft(d: Draft): void {
  write(DRAFT_KEY, isEmptyDraft(d) ? null : d)
}

export function clearDraft(): void {
  write(DRAFT_KEY, null)
}

export interface MyReport {
  code: string
  token: string
  at: string
}

/** The reports sent from (or opened by link on) this device, newest first. */
export function myReports(): MyReport[] {
  const raw = read(MINE_KEY)
  if (!Array.isArray(raw)) return []
  return raw
    .filter((r): r is MyReport => !!r && typeof r.code === 'string' && typeof r.token === 'string' && typeof r.at === 'string')
    .slice(0, MAX_MINE)
}

/** Remembers a report (once per code: a newer token replaces an older one); the newest first, at most MAX_MINE. */
export function rememberReport(code: string, token: string, at: string = new Date().toISOString()): MyReport[] {
  const before = myReports()
  const kept = before.find((r) => r.code === code)
  const list = [{ code, token, at: kept?.at ?? at }, ...before.filter((r) => r.code !== code)].slice(0, MAX_MINE)
  write(MINE_KEY, list)
  return list
}

export function forgetReport(code: string): MyReport[] {
  const list = myReports().filter((r) => r.code !== code)
  write(MINE_KEY, list)
  return list
}


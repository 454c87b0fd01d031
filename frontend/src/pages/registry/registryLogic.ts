// Pure helpers of the registry pages: the identity number's check digit (GB 11643, so a typing slip is caught before
// the server refuses it), the blank forms, and the households of the houses (one row per lived-in house).
import type { House } from '@/api/registry'

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

/** Whether `value` is an 18-character identity number with the right check character (lower-case x accepted). */
export function validIdNumber(value: string): boolean {
  const v = value.trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(v)) return false
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(v[i]), 0)
  return CHECK[sum % 11] === v[17]
}

export const HOUSE_USES = ['owner_occupied', 'rented', 'vacant', 'business'] as const
export const RESIDENCES = ['registered', 'floating'] as const
export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'relative', 'tenant', 'other'] as const
export const MOVES = ['moved_in', 'moved_out', 'died'] as const

export interface PersonForm {
  name: string
  residence: (typeof RESIDENCES)[number]
  relation: (typeof RELATIONS)[number]
  house_id: string
  id_number: string
  phone: string
  registration_due: string
  moved_in_on: string
}

export function emptyPerson(houseId = ''): PersonForm {
  return { name: '', residence: 'registered', relation: 'head', house_id: houseId, id_number: '', phone: '', registration_due: '', moved_in_on: '' }
}

/** The form as the body of POST …/people: empty optional fields left out; null when it cannot be sent. */
export function personBody(f: PersonForm) {
  if (!f.name.trim() || !f.house_id) return null
  if (f.id_number.trim() && !validIdNumber(f.id_number)) return null
  return {
    name: f.name.trim(),
    residence: f.residence,
    relation: f.relation,
    house_id: Number(f.house_id),
    ...(f.id_number.trim() ? { id_number: f.id_number.trim().toUpperCase() } : {}),
    ...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
    ...(f.residence === 'floating' && f.registration_due ? { registration_due: f.registration_due } : {}),
    ...(f.moved_in_on ? { moved_in_on: f.moved_in_on } : {}),
  }
}

/** Households: the houses someone lives in, and how many people live in them. */
export function householdCount(houses: House[]): { households: number; people: number } {
  const lived = houses.filter((h) => h.residents.length > 0)
  return { households: lived.length, people: lived.reduce((n, h) => n + h.residents.length, 0) }
}

/** Days from `today` (YYYY-MM-DD) until `due`; negative when overdue. */
export function daysUntil(due: string, today: string): number {
  return Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
}

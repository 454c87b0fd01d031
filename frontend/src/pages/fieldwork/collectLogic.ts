// Pure helpers of 入户采集: a building's rooms as a checklist from the cached grid, with the registry operations still
// in the outbox laid over it (so a change shows at once, marked as waiting), grouped by unit and floor.
import type { GridCache, RegistryOpPayload, Ref } from '@/offline/registryOps'
import { maskIdNumber, maskPhone } from '@/offline/registryOps'
import { naturalCompare } from '@/api/naturalOrder'

export interface ResidentView {
  key: string
  ref: Ref
  name: string
  relation: string
  residence: string
  idNumber: string | null
  phone: string | null
  /** Added by an operation still waiting in the outbox. */
  pending: boolean
  /** Moved out by an operation still waiting in the outbox. */
  leaving: boolean
}

export interface RoomView {
  key: string
  ref: Ref
  unit: string
  floor: number
  room: string
  label: string
  use: string
  residents: ResidentView[]
  lastRecordedAt: string | null
  pending: boolean
}

export interface FloorGroup {
  floor: number
  rooms: RoomView[]
}

export interface UnitGroup {
  unit: string
  floors: FloorGroup[]
}

/** The people living in the room (those moving out in the outbox left out). */
export const livingCount = (room: RoomView) => room.residents.filter((r) => !r.leaving).length

/** The server id a ref stands for, when known: a number, or a client id whose create has been acknowledged. */
function known(ref: Ref, refs: Record<string, number>): Ref {
  return typeof ref === 'string' && refs[ref] !== undefined ? refs[ref] : ref
}

/** The building's rooms: the cached houses, then each waiting operation of this grid applied in order. `refs` maps
 * the client ids of acknowledged creates to the server's ids. */
export function checklist(
  cache: GridCache | null,
  ops: RegistryOpPayload[],
  buildingId: number,
  refs: Record<string, number> = {},
): RoomView[] {
  const people = new Map((cache?.people ?? []).map((p) => [p.id, p]))
  const rooms: RoomView[] = (cache?.houses ?? [])
    .filter((h) => h.building_id === buildingId)
    .map((h) => ({
      key: `h${h.id}`,
      ref: h.id,
      unit: h.unit,
      floor: h.floor,
      room: h.room,
      label: h.label,
      use: h.use,
      lastRecordedAt: h.last_recorded_at ?? null,
      pending: false,
      residents: h.residents.map((r) => ({
        key: `p${r.id}`,
        ref: r.id,
        name: r.name,
        relation: r.relation,
        residence: r.residence,
        idNumber: people.get(r.id)?.id_number ?? null,
        phone: people.get(r.id)?.phone ?? null,
        pending: false,
        leaving: false,
      })),
    }))
  const roomOf = (ref: Ref) => rooms.find((r) => r.ref === known(ref, refs))
  for (const op of ops) {
    if (cache && op.gridId !== cache.gridId) continue
    switch (op.kind) {
      case 'registry.house_create':
        if (op.body.building_id !== buildingId || roomOf(op.clientId)) break
        rooms.push({
          key: `c${op.clientId}`,
          ref: op.clientId,
          unit: op.body.unit ?? '',
          floor: op.body.floor,
          room: op.body.room,
          label: op.body.room,
          use: op.body.use ?? 'owner_occupied',
          lastRecordedAt: null,
          pending: true,
          residents: [],
        })
        break
      case 'registry.house_patch': {
        const room = roomOf(op.house)
        if (room) Object.assign(room, { use: op.body.use, pending: true })
        break
      }
      case 'registry.person_create': {
        const room = roomOf(op.house)
        if (!room || room.residents.some((r) => r.ref === known(op.clientId, refs))) break
        room.residents.push({
          key: `c${op.clientId}`,
          ref: op.clientId,
          name: op.body.name,
          relation: op.body.relation ?? 'other',
          residence: op.body.residence,
          idNumber: maskIdNumber(op.body.id_number),
          phone: maskPhone(op.body.phone),
          pending: true,
          leaving: false,
        })
        room.pending = true
        break
      }
      case 'registry.person_move':
        for (const room of rooms) {
          const resident = room.residents.find((r) => r.ref === known(op.person, refs))
          if (resident && op.body.kind !== 'moved_in') {
            Object.assign(resident, { leaving: true, pending: true })
            room.pending = true
          }
        }
        break
    }
  }
  return rooms
}

/** Rooms by unit (natural order), then floor from the top down, rooms in natural order. */
export function byUnitAndFloor(rooms: RoomView[]): UnitGroup[] {
  const units = new Map<string, Map<number, RoomView[]>>()
  for (const room of rooms) {
    const floors = units.get(room.unit) ?? new Map<number, RoomView[]>()
    units.set(room.unit, floors)
    floors.set(room.floor, [...(floors.get(room.floor) ?? []), room])
  }
  return [...units.entries()]
    .sort(([a], [b]) => naturalCompare(a, b))
    .map(([unit, floors]) => ({
      unit,
      floors: [...floors.entries()]
        .sort(([a], [b]) => b - a)
        .map(([floor, list]) => ({ floor, rooms: list.sort((a, b) => naturalCompare(a.room, b.room)) })),
    }))
}

/** The client ids that waiting operations name (their server ids are looked up before laying them over). */
export function clientRefs(ops: RegistryOpPayload[]): { house: string[]; person: string[] } {
  const house = new Set<string>()
  const person = new Set<string>()
  for (const op of ops) {
    if (op.kind === 'registry.house_create') house.add(op.clientId)
    if ((op.kind === 'registry.house_patch' || op.kind === 'registry.person_create') && typeof op.house === 'string') house.add(op.house)
    if (op.kind === 'registry.person_create') person.add(op.clientId)
    if (op.kind === 'registry.person_move' && typeof op.person === 'string') person.add(op.person)
  }
  return { house: [...house], person: [...person] }
}

/** Today in China (YYYY-MM-DD): the day a move recorded now takes effect. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** MM-DD of an instant, in China: when a room was last recorded, on a small tile. */
export function shortDay(iso: string): string {
  return todayInChina(new Date(iso)).slice(5)
}

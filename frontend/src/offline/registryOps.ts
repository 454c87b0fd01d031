// Field collection 入户采集 through the offline outbox: the registry writes a grid leader makes at a door (a house's
// use, a new address, a person added, a person moved out) are outbox operations like a patrol's, sent in order with
// the operation's id as Idempotency-Key (the server answers a replay with the first response).
// - A house or person created offline is named by later operations by its client id (a string; a server id is a
//   number). When the create is acknowledged the server's id is stored under `registry:<what>:<clientId>` and looked
//   up when a later operation is sent, as patrols do: the queue is strictly in order, so the create went first.
// - Each grid's last fetched houses, people and buildings are kept beside the queue (`collect:<gridId>`), so a
//   building opened once can be worked offline; an acknowledged operation's answer is folded into that copy at once,
//   so the checklist never shows the state before a change that has just left the queue.
// - Identity numbers and phones typed offline wait in the queue as typed (they must reach the server); what is shown
//   and cached is masked as the server masks it.
import * as registryApi from '@/api/registry'
import type { BuildingRef, House, HouseIn, HousePatch, MoveIn, Person, PersonIn } from '@/api/registry'
import { get, KV, put } from './idb'

/** A server id, or the client id of a house or person created by an operation queued before. */
export type Ref = number | string

export type RegistryOpPayload =
  | { kind: 'registry.house_create'; gridId: number; clientId: string; body: HouseIn }
  | { kind: 'registry.house_patch'; gridId: number; house: Ref; body: HousePatch }
  | { kind: 'registry.person_create'; gridId: number; clientId: string; house: Ref; body: Omit<PersonIn, 'house_id'> }
  | { kind: 'registry.person_move'; gridId: number; person: Ref; name: string; body: MoveIn }

export type RegistryOpKind = RegistryOpPayload['kind']

export function isRegistryOp<T extends { kind: string }>(op: T): op is T & RegistryOpPayload {
  return op.kind.startsWith('registry.')
}

/** What the phone keeps of a grid for collecting offline. */
export interface GridCache {
  gridId: number
  buildings: BuildingRef[]
  houses: House[]
  people: Person[]
  fetchedAt: string
}

export const cacheKey = (gridId: number) => `collect:${gridId}`
export const refKey = (what: 'house' | 'person', clientId: string) => `registry:${what}:${clientId}`

/** 4301**********123X, as the server masks an identity number. */
export function maskIdNumber(value: string | null | undefined): string | null {
  if (!value) return null
  return value.slice(0, 4) + '*'.repeat(Math.max(0, value.length - 8)) + value.slice(-4)
}

/** 138****5678, as the server masks a phone. */
export function maskPhone(value: string | null | undefined): string | null {
  if (!value) return null
  if (value.length <= 7) return '*'.repeat(value.length)
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4)
}

/** A person's answer folded into the cached grid: their row replaced, and the houses' residents following. */
export function absorbPerson(cache: GridCache, person: Person): GridCache {
  const people = cache.people.filter((p) => p.id !== person.id)
  if (person.living_here) people.push(person)
  const brief = { id: person.id, name: person.name, relation: person.relation, residence: person.residence }
  const houses = cache.houses.map((h) => {
    const others = h.residents.filter((r) => r.id !== person.id)
    const residents = person.living_here && person.house_id === h.id ? [...others, brief] : others
    return residents.length === h.residents.length && residents.every((r, i) => r === h.residents[i]) ? h : { ...h, residents }
  })
  return { ...cache, people, houses }
}

/** A house's answer folded into the cached grid (added when new). */
export function absorbHouse(cache: GridCache, house: House): GridCache {
  const known = cache.houses.some((h) => h.id === house.id)
  return { ...cache, houses: known ? cache.houses.map((h) => (h.id === house.id ? house : h)) : [...cache.houses, house] }
}

/** Makes the error the outbox treats as permanent (passed in: the outbox imports this module, not the reverse). */
export type Refusal = (message: string) => Error

async function resolve(db: IDBDatabase, what: 'house' | 'person', ref: Ref, refused: Refusal): Promise<number> {
  if (typeof ref === 'number') return ref
  const id = await get<number>(db, KV, refKey(what, ref))
  if (typeof id === 'number') return id
  // The create is always queued before, so it has been sent or has failed for good.
  throw refused(`the ${what} ${ref} was never created on the server`)
}

async function absorb(db: IDBDatabase, gridId: number, fold: (cache: GridCache) => GridCache) {
  const cache = await get<GridCache>(db, KV, cacheKey(gridId))
  if (cache) await put(db, KV, fold(cache), cacheKey(gridId))
}

/** Sends one registry operation (its id is the Idempotency-Key) and keeps what the answer tells. */
export async function sendRegistryOp(
  db: IDBDatabase,
  op: RegistryOpPayload & { id: string },
  refused: Refusal,
): Promise<House | Person> {
  switch (op.kind) {
    case 'registry.house_create': {
      const house = await registryApi.addHouse(op.gridId, op.body, op.id)
      await put(db, KV, house.id, refKey('house', op.clientId))
      await absorb(db, op.gridId, (c) => absorbHouse(c, house))
      return house
    }
    case 'registry.house_patch': {
      const house = await registryApi.patchHouse(await resolve(db, 'house', op.house, refused), op.body, op.id)
      await absorb(db, op.gridId, (c) => absorbHouse(c, house))
      return house
    }
    case 'registry.person_create': {
      const houseId = await resolve(db, 'house', op.house, refused)
      const person = await registryApi.addPerson(op.gridId, { ...op.body, house_id: houseId }, op.id)
      await put(db, KV, person.id, refKey('person', op.clientId))
      await absorb(db, op.gridId, (c) => absorbPerson(c, person))
      return person
    }
    case 'registry.person_move': {
      const person = await registryApi.recordMove(await resolve(db, 'person', op.person, refused), op.body, op.id)
      await absorb(db, op.gridId, (c) => absorbPerson(c, person))
      return person
    }
  }
}

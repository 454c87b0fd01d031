// The patrol under way and the offline outbox behind it. GPS points from watchPosition are drawn at once, kept in
// IndexedDB with the patrol (a reload resumes it) and sent in batches of 10 points or every 15 s; check-ins, quick
// reports and the stop go through the same outbox, in order. One outbox per user (its own database), so a phone
// shared by two leaders never sends one's queue with the other's session.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, toRaw } from 'vue'
import type { Patrol, TrackPoint } from '@/api/fieldwork'
import type { StaffMatterCreate } from '@/api/types'
import { newId, Outbox, photoFromBlob, type OutboxState } from '@/offline/outbox'
import { useAuthStore } from './auth'

export const BATCH_POINTS = 10
export const BATCH_MS = 15_000
/** Fixes worse than this (cell towers, Wi-Fi guesses) are not part of a walked track. */
export const WORST_ACCURACY_M = 200
export const ACTIVE_KEY = 'active-patrol'

export interface ActivePatrol {
  clientId: string
  startedAt: string
  gridId: number | null
  /** [lat, lon] of every point kept, for the line on the map. */
  track: [number, number][]
  distanceM: number
  pointCount: number
  /** Points not yet put in a batch. */
  buffer: TrackPoint[]
  lastAt: number
}

export interface Fix {
  lat: number
  lon: number
  accuracy: number | null
  at: number
}

export interface QuickReport {
  category: string
  description: string
  photos: Blob[]
  handledOnSpot?: boolean
  result?: string
}

/** Metres between two WGS 84 points (haversine). */
export function distanceM(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180
  const dLat = (b[0] - a[0]) * rad
  const dLon = (b[1] - a[1]) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)))
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(toRaw(value))) as T

/** A patrol just ended, as the phone saw it (the server's summary adds coverage, findings and check-ins). */
export interface EndedPatrol {
  clientId: string
  startedAt: string
  endedAt: string
  distanceM: number
  pointCount: number
}

export const usePatrolStore = defineStore('patrol', () => {
  const auth = useAuthStore()
  const outbox = shallowRef<Outbox | null>(null)
  let outboxUser: number | null = null
  let unsubscribe: (() => void)[] = []
  const box = ref<OutboxState>({ ops: 0, items: 0, failed: [], reachable: true, sending: false, lastError: null })
  const browserOnline = ref(typeof navigator === 'undefined' ? true : navigator.onLine !== false)
  const active = ref<ActivePatrol | null>(null)
  const server = ref<Patrol | null>(null)
  const lastFix = ref<Fix | null>(null)
  const gpsError = ref<number | null>(null)
  const restored = ref(false)
  let watchId: number | null = null
  let batchTimer: ReturnType<typeof setInterval> | null = null
  let listening = false

  const waiting = computed(() => box.value.items + (active.value?.buffer.length ?? 0))
  const offline = computed(() => !browserOnline.value || !box.value.reachable)

  function onOnline() {
    browserOnline.value = true
    void flushBuffer()
  }
  function onOffline() {
    browserOnline.value = false
  }

  /** Opens the current user's outbox (once) and starts sending what it holds. */
  async function connect(): Promise<Outbox | null> {
    const userId = auth.user?.id ?? null
    if (userId === null || typeof indexedDB === 'undefined') return null
    if (outbox.value && outboxUser === userId) return outbox.value
    disconnect()
    const next = new Outbox({ dbName: `wangge-outbox-${userId}`, canSend: () => auth.isAuthenticated })
    outbox.value = next
    outboxUser = userId
    unsubscribe = [
      next.subscribe((state) => (box.value = state)),
      next.onSent((op, result) => {
        if (!active.value || !('patrolClientId' in op) || op.patrolClientId !== active.value.clientId) return
        const patrol = op.kind === 'patrol.points' ? (result as { patrol?: Patrol })?.patrol : (result as Patrol)
        if (patrol && typeof patrol.id === 'number') server.value = patrol
      }),
    ]
    if (!listening && typeof window !== 'undefined') {
      window.addEventListener('online', onOnline)
      window.addEventListener('offline', onOffline)
      listening = true
    }
    next.start()
    await restore()
    return next
  }

  function disconnect() {
    unsubscribe.forEach((fn) => fn())
    unsubscribe = []
    outbox.value?.close()
    outbox.value = null
    outboxUser = null
    stopWatching()
    active.value = null
    server.value = null
    restored.value = false
  }

  async function restore() {
    const o = outbox.value
    if (!o) return
    const saved = await o.getValue<ActivePatrol>(ACTIVE_KEY)
    if (saved && !active.value) {
      active.value = saved
      server.value = (await o.patrolFor(saved.clientId)) ?? null
      startWatching()
    }
    restored.value = true
  }

  async function persist() {
    await outbox.value?.setValue(ACTIVE_KEY, active.value ? plain(active.value) : undefined)
  }

  function startWatching() {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      gpsError.value = 2
      return
    }
    if (watchId === null) {
      watchId = navigator.geolocation.watchPosition(onPosition, (err) => (gpsError.value = err.code), {
        enableHighAccuracy: true,
        maximumAge: 0,
        timeout: 30_000,
      })
    }
    if (batchTimer === null) batchTimer = setInterval(() => void flushBuffer(), BATCH_MS)
  }

  function stopWatching() {
    if (watchId !== null) navigator.geolocation?.clearWatch(watchId)
    watchId = null
    if (batchTimer !== null) clearInterval(batchTimer)
    batchTimer = null
  }

  /** A GPS fix: kept as a point of the patrol unless it is poor or the same place again within 30 s. */
  function onPosition(pos: GeolocationPosition) {
    gpsError.value = null
    const lat = round7(pos.coords.latitude)
    const lon = round7(pos.coords.longitude)
    const accuracy = Number.isFinite(pos.coords.accuracy) ? pos.coords.accuracy : null
    const at = pos.timestamp || Date.now()
    lastFix.value = { lat, lon, accuracy, at }
    const p = active.value
    if (!p) return
    if (accuracy !== null && accuracy > WORST_ACCURACY_M) return
    const last = p.track[p.track.length - 1]
    if (last && last[0] === lat && last[1] === lon && at - p.lastAt < 30_000) return
    if (last) p.distanceM += distanceM(last, [lat, lon])
    p.track.push([lat, lon])
    p.pointCount += 1
    p.lastAt = at
    p.buffer.push({ client_id: newId(), recorded_at: new Date(at).toISOString(), lat, lon, accuracy_m: accuracy })
    if (p.buffer.length >= BATCH_POINTS) void flushBuffer()
    else void persist()
  }

  let flushChain: Promise<void> = Promise.resolve()
  /** Puts the buffered points in one batch in the outbox (with its own batch id); one call at a time. */
  function flushBuffer(): Promise<void> {
    flushChain = flushChain.then(batchBuffer, batchBuffer)
    return flushChain
  }

  async function batchBuffer() {
    const p = active.value
    const o = outbox.value
    if (!p || !o || !p.buffer.length) return
    const points = plain(p.buffer)
    // Queued before the buffer is cleared: a crash in between sends the points again, which the server recognises
    // by their client ids, rather than losing them.
    await o.enqueue({ kind: 'patrol.points', patrolClientId: p.clientId, body: { batch_id: newId(), points } })
    p.buffer.splice(0, points.length)
    await persist()
  }

  async function start() {
    const o = await connect()
    if (!o || active.value) return
    const scope = auth.user?.scope
    const gridId = scope?.level === 'grid' && scope.id ? scope.id : null
    const p: ActivePatrol = {
      clientId: newId(),
      startedAt: new Date().toISOString(),
      gridId,
      track: [],
      distanceM: 0,
      pointCount: 0,
      buffer: [],
      lastAt: 0,
    }
    active.value = p
    server.value = null
    await persist()
    await o.enqueue({
      kind: 'patrol.start',
      patrolClientId: p.clientId,
      body: { client_id: p.clientId, started_at: p.startedAt, ...(gridId ? { grid_id: gridId } : {}) },
    })
    startWatching()
  }

  /** Ends the patrol under way; what it came to on this phone, for its summary (null when none was running). */
  async function stop(): Promise<EndedPatrol | null> {
    const o = outbox.value
    const p = active.value
    if (!o || !p) return null
    stopWatching()
    await flushBuffer()
    const endedAt = new Date().toISOString()
    await o.enqueue({ kind: 'patrol.stop', patrolClientId: p.clientId, body: { ended_at: endedAt } })
    active.value = null
    await persist()
    return { clientId: p.clientId, startedAt: p.startedAt, endedAt, distanceM: p.distanceM, pointCount: p.pointCount }
  }

  async function checkIn(buildingId: number, note?: string) {
    const o = outbox.value
    const p = active.value
    if (!o || !p) return
    await flushBuffer()
    await o.enqueue({
      kind: 'patrol.checkin',
      patrolClientId: p.clientId,
      body: { client_id: newId(), building_id: buildingId, at: new Date().toISOString(), ...(note ? { note } : {}) },
    })
  }

  /** A quick report: a finding of the patrol under way, or a field matter when there is none. */
  async function report(r: QuickReport) {
    const o = await connect()
    if (!o) throw new Error('no outbox')
    const photos = await Promise.all(r.photos.map((b, i) => photoFromBlob(b, `photo-${i + 1}.jpg`)))
    const fix = lastFix.value
    const where = fix ? { lat: fix.lat, lon: fix.lon } : {}
    const p = active.value
    if (p) {
      await flushBuffer()
      await o.enqueue({
        kind: 'patrol.finding',
        patrolClientId: p.clientId,
        body: {
          client_id: newId(),
          at: new Date().toISOString(),
          category: r.category,
          description: r.description,
          ...where,
          photo_ids: [],
          handled_on_spot: !!r.handledOnSpot,
          ...(r.handledOnSpot && r.result ? { result: r.result } : {}),
        },
        photos,
      })
    } else {
      const body: StaffMatterCreate = {
        category: r.category,
        description: r.description,
        ...where,
        source: 'field',
        handled_on_spot: !!r.handledOnSpot,
        ...(r.handledOnSpot && r.result ? { result: r.result } : {}),
        photo_ids: [],
      }
      await o.enqueue({ kind: 'matter.create', body, photos })
    }
  }

  /** One GPS fix for a quick report outside a patrol. */
  function locateOnce() {
    if (typeof navigator === 'undefined' || !navigator.geolocation) return
    navigator.geolocation.getCurrentPosition(onPosition, (err) => (gpsError.value = err.code), {
      enableHighAccuracy: true,
      maximumAge: 30_000,
      timeout: 20_000,
    })
  }

  function sendNow() {
    void flushBuffer().then(() => outbox.value?.flush())
  }

  return {
    outbox,
    box,
    active,
    server,
    lastFix,
    gpsError,
    restored,
    waiting,
    offline,
    connect,
    disconnect,
    start,
    stop,
    checkIn,
    report,
    locateOnce,
    flushBuffer,
    sendNow,
    onPosition,
  }
})

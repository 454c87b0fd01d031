// The offline outbox: every field operation (patrol start, point batches, check-ins, findings with their photos,
// patrol stop, a quick report outside a patrol) is written to IndexedDB first and sent from there, strictly in the
// order it was made. Outdoors the network comes and goes; nothing is lost and nothing arrives twice:
// - each operation carries its own client id / batch id, also sent as Idempotency-Key, so a retry after a lost
//   answer is recognised by the server;
// - operations on a patrol name it by the phone's client_id; the server's id is stored when the start is
//   acknowledged and looked up when a later operation is sent (so they can be queued before the start is sent);
// - network errors, 5xx, 408, 429 (and 401, while the session is renewed) stop the queue and retry with back-off,
//   at once when the browser says it is online again; any other 4xx is a permanent failure, moved to a "failed"
//   list that the user sees, and the queue goes on;
// - field collection's registry writes (registry.*) are defined and sent by ./registryOps;
// - the queue lives in IndexedDB, so a reload (or the phone killing the tab) resumes where it stopped.
// Photos are stored as ArrayBuffers, not Blobs: some browsers (older Safari) cannot keep Blobs in IndexedDB.
import { ApiError } from '@/api/client'
import * as fieldApi from '@/api/fieldwork'
import type { CheckinBody, FindingBody, PatrolStartBody, PointBatch } from '@/api/fieldwork'
import { uploadPhoto } from '@/api/matters'
import type { StaffMatterCreate } from '@/api/types'
import { tickTask, type TickBody } from '@/api/sweeps'
import { newUuid as newId } from '@/pages/matters/matterLogic'
import { isRegistryOp, sendRegistryOp, type RegistryOpPayload } from './registryOps'
import { add, all, del, FAILED, first, get, KV, move, OPS, openDb, put } from './idb'

export { newId }

export interface StoredPhoto {
  name: string
  type: string
  data: ArrayBuffer
  /** Set once uploaded, so a retry does not upload it again. */
  uploadedId?: number
}

interface OpBase {
  /** Order of sending (IndexedDB key). */
  seq?: number
  /** Unique per operation; the Idempotency-Key where the operation has no client id of its own. */
  id: string
  createdAt: string
  attempts: number
  lastError?: string
}

export type OpPayload =
  | RegistryOpPayload
  | { kind: 'patrol.start'; patrolClientId: string; body: PatrolStartBody }
  | { kind: 'patrol.points'; patrolClientId: string; body: PointBatch }
  | { kind: 'patrol.checkin'; patrolClientId: string; body: CheckinBody }
  | { kind: 'patrol.finding'; patrolClientId: string; body: FindingBody; photos: StoredPhoto[] }
  | { kind: 'patrol.stop'; patrolClientId: string; body: { ended_at: string } }
  | { kind: 'matter.create'; body: StaffMatterCreate; photos: StoredPhoto[] }
  // A household ticked in a sweep 逐户排查; the operation's id is the Idempotency-Key.
  | { kind: 'sweep.tick'; sweepId: number; taskId: number; body: TickBody }

export type OutboxOp = OpBase & OpPayload
export type OpKind = OutboxOp['kind']

export interface FailedOp {
  seq: number
  op: OutboxOp
  status: number
  /** The problem's code: the app shows its own message for it (errors.codes), in the language of the day. */
  code?: string | null
  /** The server's detail alone (the fallback where the app has no message for the code). */
  message: string
  failedAt: string
}

export interface OutboxState {
  /** Operations waiting. */
  ops: number
  /** Items waiting, a point batch counting as its points: what "N 条待发送" shows. */
  items: number
  failed: FailedOp[]
  /** False after a network error until the next success (navigator.onLine alone is often wrong outdoors). */
  reachable: boolean
  sending: boolean
  lastError: string | null
}

/** What was sent and what the server answered; the patrol store follows the server's figures from it. */
export type SentListener = (op: OutboxOp, result: unknown) => void
export type StateListener = (state: OutboxState) => void

export interface OutboxOptions {
  dbName: string
  /** First retry delay; doubles up to retryMaxMs. */
  retryBaseMs?: number
  retryMaxMs?: number
  /** Retry on a timer and on the `online` event (off in unit tests, which call flush themselves). */
  autoRetry?: boolean
  /** False while there is no session: sending would only collect 401s. */
  canSend?: () => boolean
}

/** Whether an error may go away by itself (network, server trouble, rate limit, a session being renewed, a write
 * that met another at the same moment: `write-conflict`, safe to send again since every operation carries its
 * idempotency key). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ApiError) {
    const s = error.status
    return s === 0 || s === 401 || s === 408 || s === 429 || s >= 500 || (s === 409 && error.code === 'write-conflict')
  }
  if (error instanceof PermanentError) return false
  // A fetch that threw something else (TypeError, aborted): treat as the network.
  return true
}

/** An operation that can never be sent (its patrol was refused, say). */
export class PermanentError extends Error {}

export function itemCount(op: OutboxOp): number {
  return op.kind === 'patrol.points' ? op.body.points.length : 1
}

export async function photoFromBlob(blob: Blob, name = 'photo.jpg'): Promise<StoredPhoto> {
  return { name: (blob as File).name || name, type: blob.type || 'image/jpeg', data: await blob.arrayBuffer() }
}

export const patrolKey = (clientId: string) => `patrol:${clientId}`

export class Outbox {
  private readonly options: Required<Omit<OutboxOptions, 'canSend'>> & Pick<OutboxOptions, 'canSend'>
  private dbPromise: Promise<IDBDatabase> | null = null
  private running: Promise<void> | null = null
  private again = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private failures = 0
  private stateListeners = new Set<StateListener>()
  private sentListeners = new Set<SentListener>()
  private onlineHandler = () => {
    this.failures = 0
    void this.flush()
  }
  private started = false
  state: OutboxState = { ops: 0, items: 0, failed: [], reachable: true, sending: false, lastError: null }

  constructor(options: OutboxOptions) {
    this.options = { retryBaseMs: 2000, retryMaxMs: 60000, autoRetry: true, ...options }
  }

  private db(): Promise<IDBDatabase> {
    if (!this.dbPromise) this.dbPromise = openDb(this.options.dbName)
    return this.dbPromise
  }

  /** Listens for the network coming back and sends what a previous page left behind. */
  start() {
    if (this.started) return
    this.started = true
    if (this.options.autoRetry && typeof window !== 'undefined') window.addEventListener('online', this.onlineHandler)
    void this.refresh().then(() => this.flush())
  }

  close() {
    this.started = false
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onlineHandler)
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.stateListeners.clear()
    this.sentListeners.clear()
    const pending = this.dbPromise
    this.dbPromise = null
    void pending?.then((db) => db.close()).catch(() => {})
  }

  subscribe(listener: StateListener): () => void {
    this.stateListeners.add(listener)
    listener(this.state)
    return () => this.stateListeners.delete(listener)
  }

  onSent(listener: SentListener): () => void {
    this.sentListeners.add(listener)
    return () => this.sentListeners.delete(listener)
  }

  /** Writes the operation to IndexedDB (that is the promise), then tries to send in the background. */
  async enqueue(payload: OpPayload, id: string = newId()): Promise<OutboxOp> {
    const op = { ...payload, id, createdAt: new Date().toISOString(), attempts: 0 } as OutboxOp
    op.seq = await add(await this.db(), OPS, op)
    await this.refresh()
    if (this.options.autoRetry) void this.flush()
    return op
  }

  pending(): Promise<OutboxOp[]> {
    return this.db().then((db) => all<OutboxOp>(db, OPS))
  }

  failed(): Promise<FailedOp[]> {
    return this.db().then((db) => all<FailedOp>(db, FAILED))
  }

  /** The server's patrol for a client id, once its start has been acknowledged. */
  async patrolFor(clientId: string): Promise<fieldApi.Patrol | undefined> {
    return get<fieldApi.Patrol>(await this.db(), KV, patrolKey(clientId))
  }

  /** Small values the app keeps beside the queue (the patrol under way). */
  async getValue<T>(key: string): Promise<T | undefined> {
    return get<T>(await this.db(), KV, key)
  }

  async setValue<T>(key: string, value: T | undefined): Promise<void> {
    const db = await this.db()
    if (value === undefined) await del(db, KV, key)
    else await put(db, KV, value, key)
  }

  async dismissFailed(seq: number) {
    await del(await this.db(), FAILED, seq)
    await this.refresh()
  }

  /** Sends a failed operation again, at the end of the queue (after the user fixed what was wrong). */
  async retryFailed(seq: number) {
    const db = await this.db()
    const failed = await get<FailedOp>(db, FAILED, seq)
    if (!failed) return
    const { seq: _old, ...op } = failed.op
    void _old
    await del(db, FAILED, seq)
    await add(db, OPS, { ...op, attempts: 0, lastError: undefined })
    await this.refresh()
    void this.flush()
  }

  /** Sends the queue in order until it is empty or the network fails. Concurrent calls share one run. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.run().finally(() => {
      this.running = null
      // Something was queued during the run: send it too, unless the run ended on the network (the retry will).
      if (this.again) {
        this.again = false
        if (!this.timer) void this.flush()
      }
    })
    return this.running
  }

  private async run() {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.options.canSend && !this.options.canSend()) return
    const db = await this.db()
    this.setState({ sending: true })
    try {
      for (;;) {
        const op = await first<OutboxOp>(db, OPS)
        if (!op) break
        let result: unknown
        try {
          result = await this.send(db, op)
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          if (isRetryable(error)) {
            op.attempts += 1
            op.lastError = message
            await put(db, OPS, op)
            this.failures += 1
            this.setState({ reachable: !(error instanceof ApiError && error.status === 0) && !(error instanceof TypeError), lastError: message })
            this.scheduleRetry()
            return
          }
          const api = error instanceof ApiError ? error : null
          const failed: FailedOp = {
            seq: op.seq!,
            op,
            status: api?.status ?? 0,
            code: api?.code,
            message: String(api?.problem?.detail || message),
            failedAt: new Date().toISOString(),
          }
          await move(db, OPS, FAILED, op.seq!, failed)
          await this.refresh()
          continue
        }
        await del(db, OPS, op.seq!)
        this.failures = 0
        this.setState({ reachable: true, lastError: null })
        await this.refresh()
        for (const listener of this.sentListeners) listener(op, result)
      }
    } finally {
      this.setState({ sending: false })
    }
  }

  private scheduleRetry() {
    if (!this.options.autoRetry || !this.started) return
    const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** Math.max(0, this.failures - 1))
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush()
    }, delay)
  }

  private async patrolId(db: IDBDatabase, clientId: string): Promise<number> {
    const patrol = await get<fieldApi.Patrol>(db, KV, patrolKey(clientId))
    if (patrol) return patrol.id
    // The start is always queued before, so it has been sent or has failed for good.
    throw new PermanentError(`patrol ${clientId} was never started on the server`)
  }

  /** Uploads the photos not yet uploaded, keeping each id in the stored operation as soon as it is known. */
  private async uploadPhotos(db: IDBDatabase, op: OutboxOp & { photos: StoredPhoto[] }): Promise<number[]> {
    for (const photo of op.photos) {
      if (photo.uploadedId !== undefined) continue
      const file = new File([photo.data], photo.name, { type: photo.type })
      const uploaded = await uploadPhoto(file)
      photo.uploadedId = uploaded.id
      await put(db, OPS, op)
    }
    return op.photos.map((p) => p.uploadedId!)
  }

  private async send(db: IDBDatabase, op: OutboxOp): Promise<unknown> {
    if (isRegistryOp(op)) return sendRegistryOp(db, op, (message) => new PermanentError(message))
    switch (op.kind) {
      case 'patrol.start': {
        const patrol = await fieldApi.startPatrol(op.body)
        await put(db, KV, patrol, patrolKey(op.patrolClientId))
        return patrol
      }
      case 'patrol.points':
        return fieldApi.sendPoints(await this.patrolId(db, op.patrolClientId), op.body)
      case 'patrol.checkin':
        return fieldApi.checkIn(await this.patrolId(db, op.patrolClientId), op.body)
      case 'patrol.finding': {
        const patrolId = await this.patrolId(db, op.patrolClientId)
        const photoIds = await this.uploadPhotos(db, op)
        return fieldApi.addFinding(patrolId, { ...op.body, photo_ids: photoIds })
      }
      case 'patrol.stop': {
        const patrol = await fieldApi.stopPatrol(await this.patrolId(db, op.patrolClientId), op.body.ended_at, op.id)
        if (typeof patrol?.id === 'number') await put(db, KV, patrol, patrolKey(op.patrolClientId))
        return patrol
      }
      case 'matter.create': {
        const photoIds = await this.uploadPhotos(db, op)
        return fieldApi.createFieldMatter({ ...op.body, photo_ids: photoIds }, op.id)
      }
      case 'sweep.tick':
        return tickTask(op.sweepId, op.taskId, op.body, op.id)
    }
  }

  private async refresh() {
    const db = await this.db()
    const [ops, failed] = await Promise.all([all<OutboxOp>(db, OPS), all<FailedOp>(db, FAILED)])
    this.setState({ ops: ops.length, items: ops.reduce((n, op) => n + itemCount(op), 0), failed })
  }

  private setState(patch: Partial<OutboxState>) {
    this.state = { ...this.state, ...patch }
    for (const listener of this.stateListeners) listener(this.state)
  }
}

// A few promises over raw IndexedDB: enough for the outbox, without a runtime dependency.
// Each call is its own short transaction, so nothing is ever held open across a network request.

export const OPS = 'ops'
export const FAILED = 'failed'
export const KV = 'kv'

const VERSION = 1

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

export function openDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, VERSION)
    req.onupgradeneeded = () => {
      const db = req.result
      // `seq` (auto-increment) is the order in which operations were made and must be sent.
      if (!db.objectStoreNames.contains(OPS)) db.createObjectStore(OPS, { keyPath: 'seq', autoIncrement: true })
      if (!db.objectStoreNames.contains(FAILED)) db.createObjectStore(FAILED, { keyPath: 'seq' })
      if (!db.objectStoreNames.contains(KV)) db.createObjectStore(KV)
    }
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
    req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'))
  })
}

export async function add<T>(db: IDBDatabase, store: string, value: T): Promise<number> {
  return (await promised(db.transaction(store, 'readwrite').objectStore(store).add(value))) as number
}

export async function put<T>(db: IDBDatabase, store: string, value: T, key?: IDBValidKey): Promise<void> {
  await promised(db.transaction(store, 'readwrite').objectStore(store).put(value, key))
}

export async function get<T>(db: IDBDatabase, store: string, key: IDBValidKey): Promise<T | undefined> {
  return (await promised(db.transaction(store, 'readonly').objectStore(store).get(key))) as T | undefined
}

export async function del(db: IDBDatabase, store: string, key: IDBValidKey): Promise<void> {
  await promised(db.transaction(store, 'readwrite').objectStore(store).delete(key))
}

/** Every value of a store in key order. */
export async function all<T>(db: IDBDatabase, store: string): Promise<T[]> {
  return (await promised(db.transaction(store, 'readonly').objectStore(store).getAll())) as T[]
}

/** The value with the lowest key, or undefined. */
export async function first<T>(db: IDBDatabase, store: string): Promise<T | undefined> {
  const cursor = await promised(db.transaction(store, 'readonly').objectStore(store).openCursor())
  return cursor ? (cursor.value as T) : undefined
}

/** Moves one record from a store to another in a single transaction (a crash never loses or doubles it). */
export function move<T>(db: IDBDatabase, from: string, to: string, key: IDBValidKey, value: T): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction([from, to], 'readwrite')
    tx.objectStore(from).delete(key)
    tx.objectStore(to).put(value)
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error)
  })
}

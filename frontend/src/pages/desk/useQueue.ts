// A desk queue (待审批, 待核查, 待回访): its rows as the server lists them (oldest first, at most 100), the error of the
// last read, and an action taken on one row's matter with its fresh ETag. A stale ETag (412) or a matter that moved
// on meanwhile (409, 404) reloads the list, so the row shows what is true now.
import { ref, type Ref } from 'vue'
import { ApiError } from '@/api/client'
import { fetchMatter, takeAction } from '@/api/matters'
import type { ActionBody, Matter } from '@/api/types'
import { errorMessage } from '@/composables/useErrorMessage'

export function useQueue<Row extends { id: number }>(fetch: () => Promise<Row[]>) {
  const rows = ref<Row[]>([]) as Ref<Row[]>
  const loading = ref(false)
  const failed = ref<string | null>(null)
  /** The row whose action is on its way. */
  const busy = ref<number | null>(null)
  /** What the last action said (done, or why not), for the line above the table. */
  const notice = ref<{ text: string; error: boolean } | null>(null)
  let generation = 0

  async function load() {
    const mine = ++generation
    loading.value = true
    failed.value = null
    try {
      const list = await fetch()
      if (mine === generation) rows.value = list
    } catch (error) {
      if (mine === generation) failed.value = errorMessage(error)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  /** Takes `action` on the row's matter; the matter afterwards, or null when it was refused (the notice says why). */
  async function act(row: Row, action: string, body: ActionBody, staleText: string): Promise<Matter | null> {
    busy.value = row.id
    notice.value = null
    try {
      const { etag } = await fetchMatter(row.id)
      return (await takeAction(row.id, action, etag, body)).matter
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0
      notice.value = { text: status === 412 ? staleText : errorMessage(error), error: true }
      if (status === 412 || status === 409 || status === 404) await load()
      return null
    } finally {
      busy.value = null
    }
  }

  return { rows, loading, failed, busy, notice, load, act }
}

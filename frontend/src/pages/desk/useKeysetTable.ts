// A desk table's rows read in keyset pages: the first page again whenever the filters change (an answer to an older
// question is dropped), 加载更多 after the last row, the capped count, and the error of the last request.
import { ref, type Ref } from 'vue'
import { errorMessage } from '@/composables/useErrorMessage'

export interface KeysetPage<Row> {
  items: Row[]
  total: number
  total_exact: boolean
  next_after?: string | null
}

export function useKeysetTable<Row>(fetch: (after: string | null) => Promise<KeysetPage<Row>>) {
  const rows = ref<Row[]>([]) as Ref<Row[]>
  const total = ref(0)
  const totalExact = ref(true)
  const nextAfter = ref<string | null>(null)
  const loading = ref(false)
  const failed = ref<string | null>(null)
  let generation = 0

  async function load(reset: boolean) {
    const mine = ++generation
    loading.value = true
    failed.value = null
    try {
      const page = await fetch(reset ? null : nextAfter.value)
      if (mine !== generation) return
      rows.value = reset ? page.items : [...rows.value, ...page.items]
      total.value = page.total
      totalExact.value = page.total_exact
      nextAfter.value = page.next_after ?? null
    } catch (error) {
      if (mine !== generation) return
      failed.value = errorMessage(error)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  return { rows, total, totalExact, nextAfter, loading, failed, load }
}

// The scaffolding of the pages a unit keeps (应急梯队, 应急预案与演练, 应急物资, 值班表): the communities and streets the
// caller keeps (scopes.keptUnits), the one chosen (the first at the start), and the page's own data loaded for it —
// again when the choice or another of `also` changes — with the loading flag and the error message between.
import { computed, onMounted, ref, watch, type WatchSource } from 'vue'
import { errorMessage } from '@/composables/useErrorMessage'
import { useAuthStore } from '@/stores/auth'
import { keptUnits } from './scopes'
import { unitKey, type Unit } from './tiersLogic'

export function useKeptUnit(
  loadFor: (unit: Unit) => Promise<void>,
  options: { before?: () => Promise<unknown>; also?: WatchSource[] } = {},
) {
  const auth = useAuthStore()
  const units = ref<Unit[]>([])
  const selected = ref('')
  const loading = ref(true)
  const error = ref<string | null>(null)
  const unit = computed(() => units.value.find((u) => unitKey(u) === selected.value) ?? null)

  /** The page's data for the chosen unit, again (after a change saved). */
  async function load() {
    const u = unit.value
    if (!u) return
    loading.value = true
    try {
      await loadFor(u)
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  onMounted(async () => {
    try {
      await options.before?.()
      units.value = await keptUnits(auth.user)
      selected.value = units.value.length ? unitKey(units.value[0]) : ''
      if (!units.value.length) loading.value = false
    } catch (e) {
      error.value = errorMessage(e)
      loading.value = false
    }
  })
  watch([selected, ...(options.also ?? [])], () => void load())

  return { units, selected, unit, loading, error, load }
}

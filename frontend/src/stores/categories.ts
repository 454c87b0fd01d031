// The matter categories (loaded once, no sign-in needed) and their names in the current language.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchActiveCategories } from '@/api/matters'
import type { Category } from '@/api/types'
import { currentLocale } from '@/i18n'

const COPY_KEY = 'wangge.categories'

function saveCopy(list: Category[]) {
  try {
    localStorage.setItem(COPY_KEY, JSON.stringify(list))
  } catch {
    // Full or disabled storage: only the offline fallback is lost.
  }
}

function loadCopy(): Category[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(COPY_KEY) ?? '[]')
    return Array.isArray(parsed) ? (parsed as Category[]) : []
  } catch {
    return []
  }
}

export const useCategoriesStore = defineStore('categories', () => {
  const items = ref<Category[]>([])
  let loading: Promise<Category[]> | null = null

  function load(force = false): Promise<Category[]> {
    if (items.value.length && !force) return Promise.resolve(items.value)
    if (!loading) {
      loading = fetchActiveCategories()
        .then((list) => {
          items.value = list.filter((c) => c.is_active !== false)
          saveCopy(items.value)
          return items.value
        })
        .catch((error) => {
          // Outdoors with no network, the last list seen still lets a quick report be made (and queued).
          const copy = loadCopy()
          if (!copy.length) throw error
          items.value = copy
          return copy
        })
        .finally(() => {
          loading = null
        })
    }
    return loading
  }

  /** The name of a category given its code or its Chinese name (the inbox only carries the latter). */
  function label(codeOrName: string | null | undefined, fallback?: string): string {
    if (!codeOrName) return fallback ?? ''
    const found = items.value.find((c) => c.code === codeOrName || c.name_zh === codeOrName)
    if (!found) return fallback || codeOrName
    return currentLocale() === 'en' ? found.name_en : found.name_zh
  }

  function nameOf(c: Pick<Category, 'name_zh' | 'name_en'>): string {
    return currentLocale() === 'en' ? c.name_en : c.name_zh
  }

  return { items, load, label, nameOf }
})

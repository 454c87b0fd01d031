// The matter categories (loaded once from the public endpoint) and their names in the current language.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchPublicCategories } from '@/api/matters'
import type { Category } from '@/api/types'
import { currentLocale } from '@/i18n'

export const useCategoriesStore = defineStore('categories', () => {
  const items = ref<Category[]>([])
  let loading: Promise<Category[]> | null = null

  function load(force = false): Promise<Category[]> {
    if (items.value.length && !force) return Promise.resolve(items.value)
    if (!loading) {
      loading = fetchPublicCategories()
        .then((list) => {
          items.value = list.filter((c) => c.is_active !== false)
          return items.value
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

  function nameOf(c: Category): string {
    return currentLocale() === 'en' ? c.name_en : c.name_zh
  }

  return { items, load, label, nameOf }
})

// Unread notifications of the signed-in user, for the bell. The endpoint may not exist on an older backend:
// then the bell simply stays hidden.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '@/api/client'
import { fetchUnreadNotifications, markNotificationRead } from '@/api/matters'
import type { AppNotification } from '@/api/types'

export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<AppNotification[]>([])
  const total = ref(0)
  /** False until the endpoint has answered once (and again false if it is missing). */
  const available = ref(false)

  async function refresh() {
    try {
      const page = await fetchUnreadNotifications()
      items.value = Array.isArray(page?.items) ? page.items : []
      total.value = typeof page?.total === 'number' ? page.total : items.value.length
      available.value = true
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 405)) available.value = false
      // Any other failure keeps what was shown; the bell is never worth an error message.
    }
  }

  async function markRead(id: number) {
    items.value = items.value.filter((n) => n.id !== id)
    total.value = Math.max(0, total.value - 1)
    try {
      await markNotificationRead(id)
    } catch {
      // Read locally; the next refresh tells the truth.
    }
  }

  return { items, total, available, refresh, markRead }
})

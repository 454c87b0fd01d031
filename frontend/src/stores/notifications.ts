// Unread notifications of the signed-in user, for the bell, the tab bar's count and the full-screen alerts. The
// endpoint may not exist on an older backend: then the bell simply stays hidden. Polled by the app shell
// (startPolling) every half minute and whenever the app comes back to the screen, while a screen that shows them is
// mounted.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError } from '@/api/client'
import { fetchUnreadNotifications, markNotificationRead } from '@/api/matters'
import type { AppNotification } from '@/api/types'
import { isDueAlert } from '@/components/alertLogic'

const POLL_MS = 30_000

export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<AppNotification[]>([])
  const total = ref(0)
  /** False until the endpoint has answered once (and again false if it is missing). */
  const available = ref(false)
  /** Alerts answered on this device (their read may still be on its way). */
  const acknowledged = ref<Set<number>>(new Set())
  /** An alert is due: the app shell then fetches the overlay, which orders the queue (alertQueue.ts). */
  const alerting = computed(() => items.value.some((n) => isDueAlert(n, Date.now(), acknowledged.value)))

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
    acknowledged.value = new Set([...acknowledged.value, id])
    items.value = items.value.filter((n) => n.id !== id)
    total.value = Math.max(0, total.value - 1)
    try {
      await markNotificationRead(id)
    } catch {
      // Read locally; the next refresh tells the truth.
    }
  }

  let timer: ReturnType<typeof setInterval> | null = null
  let onShown: (() => void) | null = null
  let holders = 0
  /** Refreshes now, every POLL_MS and when the app is shown again, while `signedIn()` holds (once however many ask:
   * the app shell and the bell both do). Returns the function that lets go; when the last one has, the polling stops
   * (no timer or listener outlives the screens that wanted it). */
  function startPolling(signedIn: () => boolean): () => void {
    holders += 1
    if (!timer) {
      const poll = () => {
        if (signedIn()) void refresh()
      }
      poll()
      timer = setInterval(poll, POLL_MS)
      if (typeof document !== 'undefined') {
        onShown = () => {
          if (document.visibilityState === 'visible') poll()
        }
        document.addEventListener('visibilitychange', onShown)
      }
    }
    let held = true
    return () => {
      if (!held) return
      held = false
      holders -= 1
      if (holders > 0 || !timer) return
      clearInterval(timer)
      timer = null
      if (onShown) document.removeEventListener('visibilitychange', onShown)
      onShown = null
    }
  }

  return { items, total, available, acknowledged, alerting, refresh, markRead, startPolling }
})

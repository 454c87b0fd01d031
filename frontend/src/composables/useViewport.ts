// Phone or desk: one breakpoint (768 px) decides between the bottom tab bar and the side navigation.
import { computed, onBeforeUnmount, onMounted, ref } from 'vue'

export const DESK_MIN_WIDTH = 768

export type LayoutKind = 'phone' | 'desk'

export function layoutForWidth(width: number): LayoutKind {
  return width >= DESK_MIN_WIDTH ? 'desk' : 'phone'
}

export function useViewport() {
  const width = ref(typeof window === 'undefined' ? DESK_MIN_WIDTH : window.innerWidth)
  const update = () => {
    width.value = window.innerWidth
  }
  onMounted(() => {
    update()
    window.addEventListener('resize', update, { passive: true })
  })
  onBeforeUnmount(() => window.removeEventListener('resize', update))
  const layout = computed(() => layoutForWidth(width.value))
  return { width, layout, isDesk: computed(() => layout.value === 'desk') }
}

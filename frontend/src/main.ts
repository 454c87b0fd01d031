// Entry point: i18n, Pinia, router, and the link between the API client and the session.
import { createApp } from 'vue'
import { createPinia } from 'pinia'
// Vant's base (its CSS variables) comes first, so that ours override it; each component's own styles come with the
// module that imports it (build-plugins/vant-styles.ts).
import 'vant/es/style/base.css'
import './styles/base.css'
import App from './App.vue'
import { setProblemHook } from './api/client'
import { i18n, loadSection, startLocale } from './i18n'
import { createAppRouter } from './router'
import { useAuthStore } from './stores/auth'
import { connectApiToSession } from './stores/session'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
const router = createAppRouter()
app.use(router)

// The messages for the problems' codes come with the first problem the API answers.
setProblemHook(() => loadSection('codes'))

connectApiToSession(useAuthStore(pinia), () => {
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: current.fullPath !== '/map' ? { redirect: current.fullPath } : {} })
  }
})

// The stored language first (English is fetched when it was chosen), then the first screen in it.
startLocale().finally(() => app.mount('#app'))

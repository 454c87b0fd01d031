// Entry point: i18n, Pinia, router, and the link between the API client and the session.
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'vant/lib/index.css'
import './styles/base.css'
import App from './App.vue'
import { i18n } from './i18n'
import { createAppRouter } from './router'
import { useAuthStore } from './stores/auth'
import { connectApiToSession } from './stores/session'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
const router = createAppRouter()
app.use(router)

connectApiToSession(useAuthStore(pinia), () => {
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: current.fullPath !== '/map' ? { redirect: current.fullPath } : {} })
  }
})

app.mount('#app')

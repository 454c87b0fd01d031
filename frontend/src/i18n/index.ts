// vue-i18n set-up: zh-CN by default, English on request; the choice is kept in localStorage
// and mirrored to <html lang> and to Vant's own component texts.
import { createI18n } from 'vue-i18n'
import { Locale as VantLocale } from 'vant'
import vantEnUS from 'vant/es/locale/lang/en-US'
import vantZhCN from 'vant/es/locale/lang/zh-CN'
import zhCN from './zh-CN'
import en from './en'

export const LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: AppLocale = 'zh-CN'
export const LOCALE_STORAGE_KEY = 'wangge.locale'

export type MessageSchema = typeof zhCN

export const messages: Record<AppLocale, MessageSchema> = { 'zh-CN': zhCN, en }

function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** The stored choice, or zh-CN. The browser's language is deliberately not consulted: staff expect Chinese. */
export function storedLocale(): AppLocale {
  try {
    const value = localStorage.getItem(LOCALE_STORAGE_KEY)
    return isAppLocale(value) ? value : DEFAULT_LOCALE
  } catch {
    return DEFAULT_LOCALE
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages,
})

function applyToDocument(locale: AppLocale) {
  document.documentElement.lang = locale
  if (locale === 'en') VantLocale.use('en-US', vantEnUS)
  else VantLocale.use('zh-CN', vantZhCN)
}

export function currentLocale(): AppLocale {
  const value = i18n.global.locale.value
  return isAppLocale(value) ? value : DEFAULT_LOCALE
}

export function setLocale(locale: AppLocale) {
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // Private mode or full storage: the choice then lasts for this page only.
  }
  applyToDocument(locale)
}

export function toggleLocale(): AppLocale {
  const next: AppLocale = currentLocale() === 'zh-CN' ? 'en' : 'zh-CN'
  setLocale(next)
  return next
}

applyToDocument(currentLocale())

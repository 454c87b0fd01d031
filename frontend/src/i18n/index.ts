// vue-i18n set-up: zh-CN by default, English on request; the choice is kept in localStorage
// and mirrored to <html lang> and to Vant's own component texts. Chinese is part of the first screen; English (and
// Vant's English texts) is a separate chunk fetched when someone switches to it (loadLocale), so the phones of the
// many who never do don't download it.
import { createI18n } from 'vue-i18n'
import { Locale as VantLocale } from 'vant'
import vantZhCN from 'vant/es/locale/lang/zh-CN'
import zhCN from './zh-CN'

export const LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: AppLocale = 'zh-CN'
export const LOCALE_STORAGE_KEY = 'wangge.locale'

export type MessageSchema = typeof zhCN

type VantMessages = typeof vantZhCN
const vantMessages: Partial<Record<AppLocale, VantMessages>> = { 'zh-CN': vantZhCN }
const LOADERS: Record<AppLocale, () => Promise<[MessageSchema, VantMessages]>> = {
  'zh-CN': async () => [zhCN, vantZhCN],
  en: async () => {
    const [own, vant] = await Promise.all([import('./en'), import('vant/es/locale/lang/en-US')])
    return [own.default, vant.default]
  },
}

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
  locale: DEFAULT_LOCALE, // startLocale() switches to the stored choice
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN } as Record<AppLocale, MessageSchema>,
})

// Sections of messages that only some pages use, fetched with them (loadSection) and kept when the language
// changes: the administration pages' and the station desk's words are not part of anyone's first screen
// (tests/browser/test_weight.py holds the first screens to 200 KB).
const SECTIONS = {
  admin: { 'zh-CN': () => import('./admin/zh-CN'), en: () => import('./admin/en') },
  station: { 'zh-CN': () => import('./station/zh-CN'), en: () => import('./station/en') },
  field: { 'zh-CN': () => import('./field/zh-CN'), en: () => import('./field/en') },
  loop: { 'zh-CN': () => import('./loop/zh-CN'), en: () => import('./loop/en') },
  assessment: { 'zh-CN': () => import('./assessment/zh-CN'), en: () => import('./assessment/en') },
  maplayers: { 'zh-CN': () => import('./maplayers/zh-CN'), en: () => import('./maplayers/en') },
  resident: { 'zh-CN': () => import('./resident/zh-CN'), en: () => import('./resident/en') },
  sweeps: { 'zh-CN': () => import('./sweeps/zh-CN'), en: () => import('./sweeps/en') },
  // The app's message for each problem code: fetched with the first problem the API answers (api/client.ts).
  codes: { 'zh-CN': () => import('./codes/zh-CN'), en: () => import('./codes/en') },
} satisfies Record<string, Record<AppLocale, () => Promise<{ default: object }>>>
export type Section = keyof typeof SECTIONS
const wanted = new Set<Section>()
const merged = new Set<string>()

async function mergeSection(section: Section, locale: AppLocale): Promise<void> {
  const key = `${section}:${locale}`
  if (merged.has(key)) return
  const messages = (await SECTIONS[section][locale]()).default
  i18n.global.mergeLocaleMessage(locale, messages as unknown as MessageSchema)
  merged.add(key)
}

/** The messages of a section of pages, in the current language and (as a fallback) in Chinese. */
export async function loadSection(section: Section): Promise<void> {
  wanted.add(section)
  await Promise.all([mergeSection(section, DEFAULT_LOCALE), mergeSection(section, currentLocale())])
}

/** Fetches a language's messages once; afterwards setLocale can switch to it. */
export async function loadLocale(locale: AppLocale): Promise<void> {
  if (!vantMessages[locale]) {
    const [own, vant] = await LOADERS[locale]()
    i18n.global.setLocaleMessage(locale, own)
    vantMessages[locale] = vant
  }
  const missing = [...wanted].filter((section) => !merged.has(`${section}:${locale}`))
  if (missing.length) await Promise.all(missing.map((section) => mergeSection(section, locale)))
}

function applyToDocument(locale: AppLocale) {
  document.documentElement.lang = locale
  VantLocale.use(locale === 'en' ? 'en-US' : 'zh-CN', vantMessages[locale] ?? vantZhCN)
}

export function currentLocale(): AppLocale {
  const value = i18n.global.locale.value
  return isAppLocale(value) ? value : DEFAULT_LOCALE
}

/** Switches to a language already loaded (loadLocale); switchLocale loads it first. */
export function setLocale(locale: AppLocale) {
  if (!vantMessages[locale]) throw new Error(`the ${locale} messages are not loaded: use switchLocale`)
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // Private mode or full storage: the choice then lasts for this page only.
  }
  applyToDocument(locale)
}

export async function switchLocale(locale: AppLocale): Promise<AppLocale> {
  await loadLocale(locale)
  setLocale(locale)
  return locale
}

export function toggleLocale(): Promise<AppLocale> {
  return switchLocale(currentLocale() === 'zh-CN' ? 'en' : 'zh-CN')
}

/** At start: the stored language, loaded before the app mounts (Chinese unless someone chose English). */
export async function startLocale(): Promise<void> {
  const locale = storedLocale()
  try {
    await switchLocale(locale)
  } catch {
    setLocale(DEFAULT_LOCALE) // the English chunk could not be fetched (offline, first visit): Chinese it is
  }
}

applyToDocument(DEFAULT_LOCALE)

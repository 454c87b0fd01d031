// A toast whose code (Vant's toast and the popup under it, with their styles) is fetched the first time one is
// shown: the resident's report page is a first screen (tests/browser/test_weight.py) and rarely shows one.
type ToastOptions = string | { message: string; wordBreak?: 'break-all' | 'break-word' | 'normal' }

export async function lazyToast(options: ToastOptions): Promise<void> {
  const { showToast } = await import('./toast')
  showToast(options)
}

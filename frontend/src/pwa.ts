// Paths the service worker must leave to the network: server-rendered or API routes
// that would otherwise be answered with the app shell (index.html) on navigation.
export const navigateFallbackDenylist: RegExp[] = [
  /^\/api\//,
  /^\/docs(?:[/?#]|$)/,
  /^\/redoc(?:[/?#]|$)/,
  /^\/openapi\.json(?:[?#]|$)/,
  /^\/healthz(?:[/?#]|$)/,
  /^\/readyz(?:[/?#]|$)/,
  /^\/open311\//,
]

/** True when a navigation to `path` (pathname plus search) may be answered with index.html. */
export function usesAppShell(path: string): boolean {
  return !navigateFallbackDenylist.some((re) => re.test(path))
}

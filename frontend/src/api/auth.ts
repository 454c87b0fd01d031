// Endpoints of /api/v1/auth.
import { API_BASE, api } from './client'
import type { CurrentUser, TokenPair } from './types'

/** OAuth2 password flow: form-encoded, no bearer token, a 401 here means wrong credentials. */
export function requestToken(username: string, password: string) {
  return api.post<TokenPair>('/auth/token', { form: { username, password, grant_type: 'password' }, auth: false })
}

/** The backend rotates refresh tokens: the one sent stops working. */
export function refreshToken(refresh_token: string) {
  return api.post<TokenPair>('/auth/refresh', { json: { refresh_token }, auth: false })
}

export function revokeSession(accessToken: string) {
  // Sent with an explicit header so that a 401 here does not start a refresh.
  return fetch(`${API_BASE}/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${accessToken}` } })
}

export function fetchCurrentUser() {
  return api.get<CurrentUser>('/auth/me')
}

/** One's own language (notifications and the server's messages follow it); the answer is the caller's account. */
export function saveLanguage(language: string) {
  return api.patch<CurrentUser>('/auth/me', { json: { language } })
}

/** Changes one's own password (the current one is asked for); the answer is the caller's account. */
export function changePassword(current_password: string, new_password: string) {
  return api.post<CurrentUser>('/auth/password', { json: { current_password, new_password } })
}

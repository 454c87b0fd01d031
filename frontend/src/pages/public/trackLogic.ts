// How the resident's tracking page words a matter's steps and statuses: its own words where the staff's would not
// do (已联系您, 办理期限已延长至 X, 办理完成，待核查), the staff's otherwise. Kept free of Vue for the unit tests.
import { formatDay } from '@/pages/matters/loopLogic'

type T = (key: string, values?: Record<string, unknown>) => string
type Te = (key: string) => boolean

export interface PublicStep {
  action: string
  kind?: string | null
  until?: string | null
}

export function trackStepLabel(step: PublicStep, t: T, te: Te): string {
  if (step.action === 'approve_application' && step.until) {
    return t(step.kind === 'suspension' ? 'track.suspendedTo' : 'track.extendedTo', { until: formatDay(step.until) })
  }
  if (te(`track.stepLabels.${step.action}`)) return t(`track.stepLabels.${step.action}`)
  return te(`matters.actions.${step.action}`) ? t(`matters.actions.${step.action}`) : step.action
}

export function trackStatusLabel(status: string, t: T, te: Te): string {
  if (te(`track.statuses.${status}`)) return t(`track.statuses.${status}`)
  return te(`matters.statuses.${status}`) ? t(`matters.statuses.${status}`) : status
}

// What the day's row offers (issue 13, "my day tells the truth"): a matter's item is settled by the matter's own
// action taken from the row (resolve or hand over), and then the matter's status gives the disposition; by hand
// only "carried over" (with a note, as the server asks) — and "handled" for a patrol finding that never became a
// matter (a note optional there).

/** The matter's actions a row offers, in this order, when the record allows them to the caller. */
export const ROW_ACTIONS = ['handle_on_spot', 'resolve', 'bring_back', 'escalate'] as const

/** The row's actions among those the record allows now (its `actions`). */
export function rowActions(allowed: readonly { action: string }[] | undefined): string[] {
  const names = new Set((allowed ?? []).map((a) => a.action))
  return ROW_ACTIONS.filter((a) => names.has(a))
}

export type ByHand = 'handled' | 'carried_over'

/** The dispositions given by hand for an item of this kind. */
export function byHandChoices(kind: string): ByHand[] {
  return kind === 'matter' ? ['carried_over'] : ['handled', 'carried_over']
}

/** Whether the note must be written (the server's rule: carried over says why). */
export function noteRequired(choice: ByHand): boolean {
  return choice === 'carried_over'
}

/** Buttons more than one card offers. */

/** "Raise a practice alert" on a midway summary, for the child's IRO. */
export function raiseAlertAction(check: { childId: string; checkId: number }) {
  return {
    title: 'Raise a practice alert',
    verb: 'alert.form',
    data: { child: check.childId, checkId: check.checkId },
  };
}

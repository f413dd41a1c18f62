/**
 * The same person's e-mail, whatever its case: HR files, 903 exports and Entra spell the same
 * address differently. An absent address is nobody's.
 */
export function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

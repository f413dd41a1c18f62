/** The IRO Handbook's guidance: 50 to 70 children per full-time IRO. */
export const CASELOAD_GUIDANCE = { min: 50, max: 70 } as const;

export type CaseloadBand = 'below' | 'within' | 'above';

export interface IroCaseload {
  children: number;
  fte: number;
  /** Children per full-time equivalent, one decimal; null when FTE is 0. */
  perFte: number | null;
  band: CaseloadBand | null;
}

export function caseload(children: number, fte: number): IroCaseload {
  if (!(fte > 0)) return { children, fte, perFte: null, band: null };
  const perFte = Math.round((children / fte) * 10) / 10;
  const band: CaseloadBand =
    perFte < CASELOAD_GUIDANCE.min ? 'below' : perFte > CASELOAD_GUIDANCE.max ? 'above' : 'within';
  return { children, fte, perFte, band };
}

import { describe, expect, it } from 'vitest';
import { caseload } from '../../../src/domain/caseload.js';

describe('caseload per full-time IRO', () => {
  it.each([
    [60, 1, 60, 'within'],
    [36, 0.6, 60, 'within'],
    [45, 0.6, 75, 'above'],
    [49, 1, 49, 'below'],
    [70, 1, 70, 'within'],
    [50, 0.8, 62.5, 'within'],
    [20, 0.3, 66.7, 'within'],
  ])('%i children at %s FTE = %s per FTE (%s)', (children, fte, perFte, band) => {
    expect(caseload(children, fte)).toEqual({ children, fte, perFte, band });
  });

  it('has no ratio for an IRO with no FTE recorded', () => {
    expect(caseload(10, 0)).toEqual({ children: 10, fte: 0, perFte: null, band: null });
  });
});

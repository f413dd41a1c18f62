/** The views, addressed by the URL hash so that a deep link opens the same view. */
export type Route =
  | { view: 'reviews' }
  | { view: 'child'; childId: string }
  | { view: 'schedule'; childId: string }
  | { view: 'caseload' }
  | { view: 'report' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [first, second] = path.split('/');
  if ((first === 'child' || first === 'schedule') && second) {
    const childId = decodeURIComponent(second).trim();
    if (childId) return { view: first, childId };
  }
  if (first === 'caseload') return { view: 'caseload' };
  if (first === 'report') return { view: 'report' };
  return { view: 'reviews' };
}

export function hrefOf(route: Route): string {
  return route.view === 'child' || route.view === 'schedule'
    ? `#/${route.view}/${encodeURIComponent(route.childId)}`
    : `#/${route.view}`;
}

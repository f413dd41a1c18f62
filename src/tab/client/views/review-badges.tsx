import { Badge } from '@fluentui/react-components';
import type { ReviewState } from '../../api-types.js';
import { STATE_LABEL } from '../labels.js';

const COLOR: Record<ReviewState, 'danger' | 'warning' | 'success' | 'informative'> = {
  overdue: 'danger',
  due: 'warning',
  scheduled: 'success',
  due_unknown: 'informative',
};

/** The state as a badge whose text says it (colour is never the only signal). */
export function StateBadge({ state }: { state: ReviewState }) {
  return (
    <Badge appearance="tint" color={COLOR[state]} shape="rounded">
      {STATE_LABEL[state]}
    </Badge>
  );
}

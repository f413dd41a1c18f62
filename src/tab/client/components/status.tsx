import { MessageBar, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components';
import type { ApiFailure } from '../api.js';

/** A loading line inside a polite live region, so screen readers hear that work is under way. */
export function Loading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite">
      <Spinner size="small" label={label} labelPosition="after" />
    </div>
  );
}

/** The API's own sentence in an error MessageBar (announced at once). */
export function ErrorBar({ error, title }: { error: ApiFailure; title?: string }) {
  return (
    <div role="alert">
      <MessageBar intent="error">
        <MessageBarBody>
          {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
          {error.message}
          {error.reference ? ` (Reference: ${error.reference})` : ''}
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}

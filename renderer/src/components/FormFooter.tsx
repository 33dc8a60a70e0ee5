import type { ReactNode } from 'react';
import type { CallError } from '../api';
import { ErrorNote, SuccessNote } from './Feedback';
import { SaveButton } from './SaveButton';

/** The end of a form: its save button, then the server's refusal or what was saved (never both: useFieldErrors). */
export function FormFooter({ busy, refusal, done, children }: { busy: boolean; refusal: CallError | undefined; done: string | undefined; children: ReactNode }) {
  return (
    <>
      <div className="form-actions">
        <SaveButton busy={busy}>{children}</SaveButton>
      </div>
      <ErrorNote error={refusal} />
      {done ? <SuccessNote>{done}</SuccessNote> : null}
    </>
  );
}

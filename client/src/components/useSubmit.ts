// Form submission with a busy flag and the failure shown in the user's language.
import { createSignal } from 'solid-js';
import { errorText } from '../state/store.ts';

export function useSubmit(work: () => Promise<void>) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

// The verification part of the profile settings: where the reader's request stands (waiting, the
// mark shown, or refused with the admin's reason), the form to ask (what they are, a note, up to
// three https links) when they may, and for a plan without `verification` the way to the plans.
// A decision arrives live (`verification.changed`).
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { VERIFICATION_CATEGORIES, VERIFICATION_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorField, errorText } from '../../state/store.ts';
import { SelectField, TextAreaField } from '../Field.tsx';
import { ErrorAlert, FormFooter } from '../FormFooter.tsx';
import { UpgradeHint } from '../plans/UpgradeHint.tsx';

type Status = CallResponse<'verification.status'>;
type Category = (typeof VERIFICATION_CATEGORIES)[number];

export function VerificationSection(): JSX.Element {
  const [status, setStatus] = createSignal<Status>();
  const [category, setCategory] = createSignal<Category>('creator');
  const [note, setNote] = createSignal('');
  const [links, setLinks] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const [field, setField] = createSignal<string | undefined>();

  const load = async () => {
    try {
      setStatus(await actions.call('verification.status', {}));
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  onMount(() => {
    void load();
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name === 'verification.changed') void load();
      }),
    );
  });

  const request = () => status()?.request ?? null;
  const pending = () => request()?.status === 'pending';
  const mayAsk = () => status()?.eligible === true && !status()?.verified && !pending();

  const send = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setField(undefined);
    const given = links()
      .split(/\s+/)
      .filter((link) => link !== '');
    try {
      const made = await actions.call('verification.request', {
        category: category(),
        ...(note().trim() === '' ? {} : { note: note() }),
        ...(given.length === 0 ? {} : { links: given }),
      });
      setStatus((current) => (current === undefined ? current : { ...current, request: made }));
      actions.toast(t('verification.sent'));
    } catch (failure) {
      setField(errorField(failure));
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="verification" aria-labelledby="verification-title" data-testid="verification">
      <h2 id="verification-title">{t('verification.title')}</h2>
      <p class="hint">{t('verification.help')}</p>
      <Show when={status()} fallback={<ErrorAlert text={error()} />}>
        {(current) => (
          <>
            <Show when={current().verified}>
              <p data-testid="verification-state">{t('verification.approved')}</p>
            </Show>
            <Show when={!current().verified && request()?.status === 'approved'}>
              <p data-testid="verification-state">{t('verification.hidden')}</p>
            </Show>
            <Show when={pending()}>
              <p data-testid="verification-state">{t('verification.pending')}</p>
            </Show>
            <Show when={request()?.status === 'rejected' ? request() : undefined}>
              {(rejected) => (
                <p data-testid="verification-state">
                  {t('verification.rejected')} <bdi dir="auto">{rejected().reason}</bdi>
                </p>
              )}
            </Show>
            <Show when={!current().eligible}>
              <UpgradeHint text={t('verification.locked')} testId="verification-locked" />
            </Show>
            <Show when={mayAsk()}>
              <form onSubmit={send} class="settings" novalidate>
                <SelectField
                  id="verificationCategory"
                  label={t('verification.category')}
                  value={category()}
                  onChange={(value) => setCategory(value as Category)}
                >
                  <For each={[...VERIFICATION_CATEGORIES]}>
                    {(each) => <option value={each}>{t(`verification.category.${each}`)}</option>}
                  </For>
                </SelectField>
                <TextAreaField
                  id="verificationNote"
                  label={t('verification.note')}
                  maxlength={VERIFICATION_LIMITS.noteChars}
                  rows={3}
                  value={note()}
                  invalid={field() === 'note' ? true : undefined}
                  onInput={setNote}
                />
                <TextAreaField
                  id="verificationLinks"
                  label={t('verification.links', { count: VERIFICATION_LIMITS.links })}
                  maxlength={VERIFICATION_LIMITS.links * (VERIFICATION_LIMITS.linkChars + 1)}
                  rows={3}
                  value={links()}
                  invalid={field()?.startsWith('links') ? true : undefined}
                  onInput={setLinks}
                />
                <FormFooter busy={busy()} error={error()} label={t('verification.submit')} />
              </form>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}

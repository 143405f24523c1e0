// Two-step verification in the sign-in settings: set-up (a QR code and its key), turning it on
// with a first code, the recovery codes shown once, and turning it off. Turning it on or off
// re-authenticates (Reauth.tsx): the current password, and to turn it off a code as well.
import { createSignal, For, type JSX, Show } from 'solid-js';
import { api } from '../../api/http.ts';
import { Field } from '../../components/Field.tsx';
import { FormFooter } from '../../components/FormFooter.tsx';
import { createProviderReauth, ReauthFields, ReauthProviders, reauthBody } from '../../components/Reauth.tsx';
import { useSubmit } from '../../components/useSubmit.ts';
import { t } from '../../i18n/index.ts';
import { actions, state } from '../../state/store.ts';

interface Setup {
  secret: string;
  qrCode: string;
}

export function TwoFactorSettings(): JSX.Element {
  const reauth = createProviderReauth();
  const [setup, setSetup] = createSignal<Setup>();
  const [recoveryCodes, setRecoveryCodes] = createSignal<string[]>([]);
  const [newCode, setNewCode] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [code, setCode] = createSignal('');

  const start = useSubmit(async () => {
    setSetup(await api<Setup>('POST', '/auth/2fa/setup', {}, await actions.token()));
  });
  const enable = useSubmit(() =>
    reauth.guard(async () => {
      const enabled = await api<{ recoveryCodes: string[] }>(
        'POST',
        '/auth/2fa/enable',
        { code: newCode(), ...reauthBody(password(), '') },
        await actions.token(),
      );
      setSetup(undefined);
      setNewCode('');
      setPassword('');
      setRecoveryCodes(enabled.recoveryCodes);
      await actions.reloadUser();
      actions.toast(t('twoFactor.on'));
    }),
  );
  const disable = useSubmit(() =>
    reauth.guard(async () => {
      await api('POST', '/auth/2fa/disable', reauthBody(password(), code()), await actions.token());
      setPassword('');
      setCode('');
      setRecoveryCodes([]);
      await actions.reloadUser();
      actions.toast(t('twoFactor.disabled'));
    }),
  );

  return (
    <>
      <h2>{t('signIn.twoFactorTitle')}</h2>
      <ReauthProviders providers={reauth.providers()} />
      <Show when={recoveryCodes().length > 0}>
        <p class="hint">{t('twoFactor.recoveryCodes')}</p>
        <ul class="recovery-codes" data-testid="recovery-codes">
          <For each={recoveryCodes()}>{(each) => <li>{each}</li>}</For>
        </ul>
      </Show>
      <Show
        when={state.user?.twoFactorEnabled}
        fallback={
          <Show
            when={setup()}
            fallback={
              <form onSubmit={start.submit} novalidate>
                <p class="hint">{t('twoFactor.off')}</p>
                <FormFooter busy={start.busy()} error={start.error()} label={t('twoFactor.setUp')} />
              </form>
            }
          >
            {(started) => (
              <form onSubmit={enable.submit} novalidate>
                <img src={started().qrCode} alt={t('twoFactor.qrAlt')} width="200" height="200" />
                <p class="hint">{t('twoFactor.scan', { secret: started().secret })}</p>
                <Field label={t('form.code')} name="enable-totp" value={newCode()} onInput={setNewCode} autocomplete="one-time-code" />
                <ReauthFields form="enable" password={password()} onPassword={setPassword} code="" onCode={() => undefined} />
                <FormFooter busy={enable.busy()} error={enable.error()} label={t('twoFactor.enable')} />
              </form>
            )}
          </Show>
        }
      >
        <form onSubmit={disable.submit} novalidate>
          <p class="hint">{t('twoFactor.on')}</p>
          <ReauthFields form="disable" password={password()} onPassword={setPassword} code={code()} onCode={setCode} />
          <FormFooter busy={disable.busy()} error={disable.error()} label={t('twoFactor.disable')} />
        </form>
      </Show>
    </>
  );
}

// /settings/api-tokens: personal API tokens, a Pro feature (tokens.list, tokens.create,
// tokens.revoke). The list shows each token's name, scopes, when it was made and last used, and
// when it expires; a new token's secret is shown once, in a dialog with a copy button, and is
// dropped from memory when the dialog closes. Revoking asks first. Without Pro the screen
// explains what tokens are and links to the plans; a lapsed plan keeps the list (to revoke).
import { Check, Copy, Plus } from 'lucide-solid';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { ProtocolError } from '../../../../protocol/client.ts';
import { API_TOKEN_LIMITS, API_TOKEN_SCOPES } from '../../../../protocol/lists.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { CheckField, InputField, SelectField } from '../../components/Field.tsx';
import { ErrorAlert } from '../../components/FormFooter.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { EmptyState } from '../../components/ui/EmptyState.tsx';
import { useSubmit } from '../../components/useSubmit.ts';
import { formatRelative, locale, t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';

type Listing = CallResponse<'tokens.list'>;
type Token = Listing['items'][number];
type Scope = (typeof API_TOKEN_SCOPES)[number];
/** Lifetimes offered, in days ('' for none). */
const LIFETIMES = ['30', '90', '365', ''] as const;

const SCOPE_TEXT = { read: 'apiTokens.scope.read', write: 'apiTokens.scope.write', chats: 'apiTokens.scope.chats' } as const;
const SCOPE_NAME = { read: 'apiTokens.scopeName.read', write: 'apiTokens.scopeName.write', chats: 'apiTokens.scopeName.chats' } as const;

const days = (count: number) => new Intl.NumberFormat(locale(), { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(count);
const date = (iso: string) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(iso));

/** The form of a new token: a name, its scopes and its lifetime. */
function CreateDialog(props: {
  onClose: () => void;
  onCreated: (made: CallResponse<'tokens.create'>) => void;
  /** The plan lapsed since the list was read (PLAN_REQUIRED): the screen reads it again. */
  onLapsed: () => void;
}): JSX.Element {
  const [name, setName] = createSignal('');
  const [scopes, setScopes] = createSignal<Scope[]>(['read']);
  const [lifetime, setLifetime] = createSignal<string>('90');
  const [problem, setProblem] = createSignal<string | undefined>();
  const { busy, error, submit } = useSubmit(async () => {
    setProblem(undefined);
    const missing = name().trim() === '' ? t('apiTokens.nameRequired') : scopes().length === 0 ? t('apiTokens.pickScope') : undefined;
    if (missing !== undefined) {
      setProblem(missing);
      return;
    }
    try {
      const made = await actions.call('tokens.create', {
        name: name().trim(),
        scopes: API_TOKEN_SCOPES.filter((scope) => scopes().includes(scope)),
        ...(lifetime() === '' ? {} : { expiresInDays: Number(lifetime()) }),
      });
      props.onCreated(made);
    } catch (failure) {
      if (failure instanceof ProtocolError && failure.code === 'PLAN_REQUIRED') return props.onLapsed();
      throw failure;
    }
  });
  const toggle = (scope: Scope, on: boolean) => setScopes((before) => (on ? [...before, scope] : before.filter((each) => each !== scope)));
  return (
    <Dialog title={t('apiTokens.create')} onClose={props.onClose} testId="token-create">
      <form class="stack" onSubmit={submit} novalidate>
        <InputField
          id="token-name"
          label={t('apiTokens.name')}
          value={name()}
          onInput={setName}
          maxlength={API_TOKEN_LIMITS.nameChars}
          placeholder={t('apiTokens.namePlaceholder')}
          autocomplete="off"
        />
        <fieldset class="stack">
          <legend>{t('apiTokens.scopes')}</legend>
          <For each={API_TOKEN_SCOPES}>
            {(scope) => <CheckField label={t(SCOPE_TEXT[scope])} checked={scopes().includes(scope)} onChange={(on) => toggle(scope, on)} />}
          </For>
          <p class="hint">{t('apiTokens.scopesHint')}</p>
        </fieldset>
        <SelectField id="token-expiry" label={t('apiTokens.expiry')} value={lifetime()} onChange={setLifetime}>
          <For each={LIFETIMES}>{(each) => <option value={each}>{each === '' ? t('apiTokens.never') : days(Number(each))}</option>}</For>
        </SelectField>
        <ErrorAlert text={problem() ?? error()} />
        <Button type="submit" disabled={busy()}>
          {t('apiTokens.create')}
        </Button>
      </form>
    </Dialog>
  );
}

/** The secret of a token just made: shown this once, with a copy button. */
function SecretDialog(props: { secret: string; onClose: () => void }): JSX.Element {
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied(true);
    } catch (failure) {
      actions.toast(errorText(failure), 'error');
    }
  };
  return (
    <Dialog title={t('apiTokens.secretTitle')} onClose={props.onClose} testId="token-secret">
      <div class="stack">
        <p>{t('apiTokens.secretHelp')}</p>
        <code class="mono token-secret" data-testid="token-secret-value" dir="ltr">
          {props.secret}
        </code>
        <div class="row">
          <Button variant="secondary" icon={copied() ? Check : Copy} onClick={() => void copy()}>
            {copied() ? t('apiTokens.copied') : t('apiTokens.copy')}
          </Button>
          <Button onClick={props.onClose}>{t('apiTokens.done')}</Button>
        </div>
      </div>
    </Dialog>
  );
}

/** Asks before a token is revoked. */
function RevokeDialog(props: { token: Token; onClose: () => void; onRevoke: () => Promise<void> }): JSX.Element {
  const { busy, error, submit } = useSubmit(props.onRevoke);
  return (
    <Dialog title={t('apiTokens.revokeTitle', { name: props.token.name })} onClose={props.onClose} testId="token-revoke">
      <form class="stack" onSubmit={submit}>
        <p>{t('apiTokens.revokeHelp')}</p>
        <ErrorAlert text={error()} />
        <div class="row">
          <Button variant="secondary" onClick={props.onClose}>
            {t('apiTokens.keep')}
          </Button>
          <Button type="submit" variant="danger" disabled={busy()}>
            {t('apiTokens.revoke')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function TokenRow(props: { token: Token; onRevoke: () => void }): JSX.Element {
  return (
    <li class="token" data-testid={`token-${props.token.id}`}>
      <div>
        <strong dir="auto">{props.token.name}</strong>{' '}
        <For each={props.token.scopes}>{(scope) => <span class="badge">{t(SCOPE_NAME[scope])}</span>}</For>
        <br />
        <small>
          {t('apiTokens.created', { when: date(props.token.createdAt) })} ·{' '}
          {props.token.lastUsedAt === null
            ? t('apiTokens.neverUsed')
            : t('apiTokens.lastUsed', { when: formatRelative(props.token.lastUsedAt) })}{' '}
          ·{' '}
          {props.token.expired
            ? t('apiTokens.expired')
            : props.token.expiresAt === null
              ? t('apiTokens.noExpiry')
              : t('apiTokens.expires', { when: date(props.token.expiresAt) })}
        </small>
      </div>
      <Button variant="secondary" size="sm" onClick={props.onRevoke}>
        {t('apiTokens.revoke')}
      </Button>
    </li>
  );
}

export default function ApiTokens(): JSX.Element {
  const [listing, setListing] = createSignal<Listing | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  const [creating, setCreating] = createSignal(false);
  const [secret, setSecret] = createSignal<string | undefined>();
  const [revoking, setRevoking] = createSignal<Token | undefined>();
  const load = async () => {
    try {
      setListing(await actions.call('tokens.list', {}));
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  onMount(load);
  const created = (made: CallResponse<'tokens.create'>) => {
    setCreating(false);
    setSecret(made.secret);
    setListing((before) => before && { ...before, items: [made.token, ...before.items] });
  };
  const revoke = async (token: Token) => {
    await actions.call('tokens.revoke', { tokenId: token.id });
    setRevoking(undefined);
    setListing((before) => before && { ...before, items: before.items.filter((each) => each.id !== token.id) });
    actions.toast(t('apiTokens.revoked'));
  };
  const live = () => listing()?.items.filter((token) => !token.expired).length ?? 0;
  return (
    <section class="card" aria-labelledby="api-tokens-title">
      <SettingsNav />
      <h1 id="api-tokens-title">{t('apiTokens.title')}</h1>
      <p>{t('apiTokens.help')}</p>
      <Show when={listing()} fallback={<ErrorAlert text={error()} />}>
        {(current) => (
          <>
            <Show when={!current().entitled}>
              <div class="tokens-notice" data-testid="tokens-pro-only">
                <p>
                  <strong>{t(current().items.length > 0 ? 'apiTokens.lapsed' : 'apiTokens.proOnly')}</strong>
                </p>
                <p class="hint">{t('apiTokens.proOnlyHelp')}</p>
                <Button href="/pricing" variant="primary" size="sm">
                  {t('apiTokens.seePlans')}
                </Button>
              </div>
            </Show>
            <Show when={current().entitled}>
              <div class="row spread">
                <span class="hint" data-testid="tokens-count">
                  {t('apiTokens.count', { count: live(), limit: current().limit })}
                </span>
                <Button icon={Plus} size="sm" disabled={live() >= current().limit} onClick={() => setCreating(true)}>
                  {t('apiTokens.create')}
                </Button>
              </div>
            </Show>
            <Show when={current().items.length > 0 || !current().entitled} fallback={<EmptyState title={t('apiTokens.none')} />}>
              <ul class="sessions tokens" data-testid="tokens">
                <For each={current().items}>{(token) => <TokenRow token={token} onRevoke={() => setRevoking(token)} />}</For>
              </ul>
            </Show>
          </>
        )}
      </Show>
      <Show when={creating()}>
        <CreateDialog
          onClose={() => setCreating(false)}
          onCreated={created}
          onLapsed={() => {
            setCreating(false);
            void load();
          }}
        />
      </Show>
      <Show when={secret()}>{(shown) => <SecretDialog secret={shown()} onClose={() => setSecret(undefined)} />}</Show>
      <Show when={revoking()}>
        {(token) => <RevokeDialog token={token()} onClose={() => setRevoking(undefined)} onRevoke={() => revoke(token())} />}
      </Show>
    </section>
  );
}

// API tokens: the list shows each token's name, scopes and dates; creating one sends the name,
// the scopes ticked and the lifetime, then shows the secret once with a copy button (and it is
// gone when the dialog closes); revoking asks first and takes the row out; without Pro the screen
// explains and links to /pricing, and offers no way to create one.
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { ProtocolError } from '../../../../protocol/client.ts';
import { renderScreen } from '../../components/testing.tsx';
import { en } from '../../i18n/messages/en.ts';
import { actions, state } from '../../state/store.ts';
import ApiTokens from './ApiTokens.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const existing = {
  id: '0192a1b2-7777-7000-8000-0000000000a1',
  name: 'Feeding log',
  scopes: ['read' as const],
  createdAt: '2026-11-01T09:00:00.000Z',
  lastUsedAt: null,
  expiresAt: null,
  expired: false,
};
const SECRET = 'pat_L5mPBtProd731BpDmyHTgC9q4gx7GxZHfruU9YnUrNg';

/** The server: `entitled` says whether the user is on Pro; `refuse` names a call to fail with its code. */
function serve(entitled = true, refuse: (op: string) => string | undefined = () => undefined) {
  type Token = Omit<typeof existing, 'scopes'> & { scopes: string[] };
  let items: Token[] = entitled ? [existing] : [];
  return vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    const code = refuse(op);
    if (code !== undefined) throw new ProtocolError(code, 'refused');
    if (op === 'tokens.list') return { items, limit: 10, entitled };
    if (op === 'tokens.create') {
      const token: Token = {
        ...existing,
        id: '0192a1b2-7777-7000-8000-0000000000b2',
        name: String(body.name),
        scopes: body.scopes as string[],
      };
      items = [token, ...items];
      return { token, secret: SECRET };
    }
    if (op === 'tokens.revoke') {
      items = items.filter((each) => each.id !== body.tokenId);
      return {};
    }
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
}

test('api tokens: the list shows name, scopes and dates; a new token sends its choices and shows the secret once, with a copy button', async () => {
  const call = serve();
  const writeText = vi.fn(async () => undefined);
  vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
  renderScreen(ApiTokens);
  const row = await screen.findByTestId(`token-${existing.id}`);
  expect(row.textContent).toContain('Feeding log');
  expect(row.textContent).toContain(en['apiTokens.scopeName.read']);
  expect(row.textContent).toContain(en['apiTokens.neverUsed']);
  expect(row.textContent).toContain(en['apiTokens.noExpiry']);
  expect(screen.getByTestId('tokens-count').textContent).toBe('Tokens in use: 1 of 10');

  fireEvent.click(screen.getByRole('button', { name: en['apiTokens.create'] }));
  const dialog = await screen.findByTestId('token-create');
  fireEvent.input(within(dialog).getByLabelText(en['apiTokens.name']), { target: { value: '  Walk tracker ' } });
  fireEvent.click(within(dialog).getByLabelText(en['apiTokens.scope.write']));
  fireEvent.change(within(dialog).getByLabelText(en['apiTokens.expiry']), { target: { value: '30' } });
  fireEvent.click(within(dialog).getByRole('button', { name: en['apiTokens.create'] }));
  await waitFor(() =>
    expect(call).toHaveBeenCalledWith('tokens.create', { name: 'Walk tracker', scopes: ['read', 'write'], expiresInDays: 30 }),
  );
  const secret = await screen.findByTestId('token-secret-value');
  expect(secret.textContent).toBe(SECRET);
  fireEvent.click(screen.getByRole('button', { name: en['apiTokens.copy'] }));
  await waitFor(() => expect(writeText).toHaveBeenCalledWith(SECRET));
  expect(await screen.findByRole('button', { name: en['apiTokens.copied'] })).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: en['apiTokens.done'] }));
  await waitFor(() => expect(screen.queryByTestId('token-secret')).toBeNull());
  // The list has the new token; its secret is nowhere on the page any more.
  expect(screen.getByTestId('tokens').textContent).toContain('Walk tracker');
  expect(document.body.textContent).not.toContain(SECRET);
});

test('api tokens: a token needs a name and a scope before anything is sent', async () => {
  const call = serve();
  renderScreen(ApiTokens);
  fireEvent.click(await screen.findByRole('button', { name: en['apiTokens.create'] }));
  const dialog = await screen.findByTestId('token-create');
  fireEvent.click(within(dialog).getByRole('button', { name: en['apiTokens.create'] }));
  expect((await within(dialog).findByRole('alert')).textContent).toBe(en['apiTokens.nameRequired']);
  fireEvent.input(within(dialog).getByLabelText(en['apiTokens.name']), { target: { value: 'Script' } });
  fireEvent.click(within(dialog).getByLabelText(en['apiTokens.scope.read']));
  fireEvent.click(within(dialog).getByRole('button', { name: en['apiTokens.create'] }));
  await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toBe(en['apiTokens.pickScope']));
  expect(call).not.toHaveBeenCalledWith('tokens.create', expect.anything());
});

test('api tokens: revoking asks first, sends the token id and takes the row out; keeping it changes nothing', async () => {
  const call = serve();
  renderScreen(ApiTokens);
  const row = await screen.findByTestId(`token-${existing.id}`);
  fireEvent.click(within(row).getByRole('button', { name: en['apiTokens.revoke'] }));
  const confirm = await screen.findByTestId('token-revoke');
  expect(confirm.textContent).toContain('Feeding log');
  fireEvent.click(within(confirm).getByRole('button', { name: en['apiTokens.keep'] }));
  await waitFor(() => expect(screen.queryByTestId('token-revoke')).toBeNull());
  expect(call).not.toHaveBeenCalledWith('tokens.revoke', expect.anything());

  fireEvent.click(within(row).getByRole('button', { name: en['apiTokens.revoke'] }));
  fireEvent.click(within(await screen.findByTestId('token-revoke')).getByRole('button', { name: en['apiTokens.revoke'] }));
  await waitFor(() => expect(call).toHaveBeenCalledWith('tokens.revoke', { tokenId: existing.id }));
  await waitFor(() => expect(screen.queryByTestId(`token-${existing.id}`)).toBeNull());
  expect(state.toasts.map((toast) => toast.text)).toContain(en['apiTokens.revoked']);
});

test('api tokens: without Pro the screen explains and links to /pricing, and offers no create button', async () => {
  serve(false);
  renderScreen(ApiTokens);
  const notice = await screen.findByTestId('tokens-pro-only');
  expect(notice.textContent).toContain(en['apiTokens.proOnly']);
  expect(within(notice).getByRole('link', { name: en['apiTokens.seePlans'] }).getAttribute('href')).toBe('/pricing');
  expect(screen.queryByRole('button', { name: en['apiTokens.create'] })).toBeNull();
});

test('api tokens: TOO_MANY_TOKENS shows in the dialog', async () => {
  serve(true, (op) => (op === 'tokens.create' ? 'TOO_MANY_TOKENS' : undefined));
  renderScreen(ApiTokens);
  fireEvent.click(await screen.findByRole('button', { name: en['apiTokens.create'] }));
  const dialog = await screen.findByTestId('token-create');
  fireEvent.input(within(dialog).getByLabelText(en['apiTokens.name']), { target: { value: 'Script' } });
  fireEvent.click(within(dialog).getByRole('button', { name: en['apiTokens.create'] }));
  expect((await within(dialog).findByRole('alert')).textContent).toBe(en['error.TOO_MANY_TOKENS']);
});

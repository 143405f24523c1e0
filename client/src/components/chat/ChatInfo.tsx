// The details of a conversation, in a dialog: mute for everyone; in groups also the members with
// their admin marks (admins add, remove and make admins, rename the group and change its
// picture), the pinned messages, and leaving; in an encrypted one-to-one, the safety number both
// people compare (and, after the peer's key changed, accepting the new one).
import { useNavigate } from '@solidjs/router';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import { safetyGroups } from '../../../../protocol/e2ee.ts';
import { CHAT_LIMITS } from '../../../../protocol/lists.ts';
import { locale, t } from '../../i18n/index.ts';
import type { ConversationState } from '../../state/conversation.ts';
import type { ChatMessage } from '../../state/messageLog.ts';
import { actions, state } from '../../state/store.ts';
import { Dialog } from '../Dialog.tsx';
import { PhotoSetting } from '../media/PhotoSetting.tsx';
import { PersonRow } from '../Person.tsx';
import { FriendPicker } from './FriendPicker.tsx';

/** "Mute until I turn it back on" mutes for a century: past this, the date is not worth showing. */
const FOREVER_MS = 50 * 365 * 86_400_000;

export function ChatInfo(props: {
  conversation: ConversationState;
  onClose: () => void;
  describe: (message: ChatMessage) => string;
  onJump: (seq: number) => void;
  /** An encrypted one-to-one: its 60-digit safety number (undefined while computed), whom to compare it with, and whether the peer's key changed. */
  safety?: { digits: string | undefined; peerName: string; changed: boolean; onAccept: () => void };
}): JSX.Element {
  const navigate = useNavigate();
  const c = props.conversation;
  const conversationId = c.conversationId;
  const chat = () => c.conv.chat;
  const isGroup = () => chat()?.kind === 'group';
  const isAdmin = () => chat()?.me.role === 'admin';
  const me = () => state.user?.id ?? '';
  const [name, setName] = createSignal(chat()?.name ?? '');
  const [adding, setAdding] = createSignal<string[]>([]);
  const [pins, setPins] = createSignal<ChatMessage[]>([]);
  const [confirmLeave, setConfirmLeave] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const work = async <T,>(call: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    const result = await c.run(call);
    setBusy(false);
    return result;
  };

  onMount(() => {
    if (isGroup()) void work(() => actions.call('chats.pins', { conversationId })).then((result) => result && setPins(result.items));
  });

  const mute = async (muted: boolean, minutes?: number) => {
    const result = await work(() => actions.call('chats.mute', { conversationId, muted, ...(minutes === undefined ? {} : { minutes }) }));
    const current = chat();
    if (result !== undefined && current !== undefined) c.setChat({ me: { ...current.me, mutedUntil: result.mutedUntil } });
  };
  const mutedUntil = () => {
    const until = chat()?.me.mutedUntil;
    return until !== null && until !== undefined && new Date(until).getTime() > Date.now() ? until : undefined;
  };

  return (
    <Dialog title={t('chats.info')} onClose={props.onClose} testId="chat-info">
      <Show when={isGroup() && isAdmin()}>
        <form
          class="inline"
          onSubmit={async (event) => {
            event.preventDefault();
            const updated = await work(() => actions.call('chats.update', { conversationId, name: name().trim() }));
            if (updated !== undefined) c.setChat({ name: updated.name });
          }}
        >
          <label class="visually-hidden" for="group-name">
            {t('chats.groupName')}
          </label>
          <input
            id="group-name"
            required
            maxLength={CHAT_LIMITS.groupNameChars}
            value={name()}
            onInput={(event) => setName(event.currentTarget.value)}
            aria-label={t('chats.groupName')}
          />
          <button type="submit" class="secondary" disabled={busy() || name().trim() === ''}>
            {t('chats.rename')}
          </button>
        </form>
        <PhotoSetting
          label={t('chats.groupPicture')}
          chooseLabel={t('chats.changeGroupPicture')}
          removeLabel={t('chats.removeGroupPicture')}
          current={chat()?.pictureMediaId ?? null}
          layout="avatar-large"
          testId="group-picture-setting"
          save={async (mediaId) => {
            const updated = await actions.call('chats.update', { conversationId, pictureMediaId: mediaId });
            c.setChat({ pictureMediaId: updated.pictureMediaId });
          }}
        />
      </Show>

      <Show when={props.safety}>
        {(safety) => (
          <section class="safety" aria-labelledby="safety-title" data-testid="safety-number">
            <h3 id="safety-title">🔒 {t('chats.safetyNumber')}</h3>
            <Show when={safety().changed}>
              <p role="alert" class="error">
                {t('chats.e2eeKeyChanged', { name: safety().peerName })}
              </p>
            </Show>
            <Show when={safety().digits} fallback={<p class="hint">…</p>}>
              {(digits) => (
                <ol class="safety-number" translate="no" dir="ltr" data-testid="safety-digits">
                  <For each={safetyGroups(digits())}>{(group) => <li>{group}</li>}</For>
                </ol>
              )}
            </Show>
            <p class="hint">{t('chats.safetyNumberHint', { name: safety().peerName })}</p>
            <Show when={safety().changed}>
              <button type="button" onClick={() => safety().onAccept()}>
                {t('chats.e2eeAccept')}
              </button>
            </Show>
          </section>
        )}
      </Show>

      <div class="row">
        <Show
          when={mutedUntil()}
          fallback={
            <>
              <button type="button" class="secondary" disabled={busy()} onClick={() => void mute(true, 60)}>
                {t('chats.muteHour')}
              </button>
              <button type="button" class="secondary" disabled={busy()} onClick={() => void mute(true, 24 * 60)}>
                {t('chats.muteDay')}
              </button>
              <button type="button" class="secondary" disabled={busy()} onClick={() => void mute(true)}>
                {t('chats.muteAlways')}
              </button>
            </>
          }
        >
          {(until) => (
            <>
              <span class="hint" data-testid="muted">
                {new Date(until()).getTime() - Date.now() > FOREVER_MS
                  ? t('chats.muted')
                  : t('chats.mutedUntil', { time: new Date(until()).toLocaleString(locale()) })}
              </span>
              <button type="button" class="secondary" disabled={busy()} onClick={() => void mute(false)}>
                {t('chats.unmute')}
              </button>
            </>
          )}
        </Show>
      </div>

      <Show when={isGroup()}>
        <h3>{t('chats.members', { count: chat()?.memberCount ?? 0 })}</h3>
        <ul class="people" data-testid="members">
          <For each={c.conv.members}>
            {(member) => (
              <PersonRow person={member.person} detail={member.role === 'admin' ? t('chats.admin') : undefined}>
                <Show when={isAdmin() && member.person.id !== me()}>
                  <button
                    type="button"
                    class="secondary"
                    disabled={busy()}
                    onClick={() =>
                      void work(() =>
                        actions.call('chats.setAdmin', { conversationId, userId: member.person.id, admin: member.role !== 'admin' }),
                      )
                    }
                  >
                    {member.role === 'admin' ? t('chats.removeAdmin') : t('chats.makeAdmin')}
                  </button>
                  <button
                    type="button"
                    class="secondary danger"
                    disabled={busy()}
                    onClick={() => void work(() => actions.call('chats.removeMember', { conversationId, userId: member.person.id }))}
                  >
                    {t('chats.removeMember')}
                  </button>
                </Show>
              </PersonRow>
            )}
          </For>
        </ul>

        <Show when={isAdmin()}>
          <h3>{t('chats.addMembers')}</h3>
          <FriendPicker chosen={adding()} onChange={setAdding} exclude={c.conv.members.map((member) => member.person.id)} />
          <button
            type="button"
            disabled={busy() || adding().length === 0}
            onClick={async () => {
              const result = await work(() => actions.call('chats.addMembers', { conversationId, userIds: adding() }));
              if (result !== undefined) {
                setAdding([]);
                void c.reloadDetail();
              }
            }}
          >
            {t('chats.add')}
          </button>
        </Show>

        <h3>{t('chats.pins')}</h3>
        <ul class="pins" data-testid="pins">
          <For each={pins()} fallback={<li class="hint">{t('chats.noPins')}</li>}>
            {(message) => (
              <li>
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    props.onClose();
                    props.onJump(message.seq);
                  }}
                >
                  {message.kind === 'system' ? props.describe(message) : message.text || '…'}
                </button>
              </li>
            )}
          </For>
        </ul>

        <Show
          when={confirmLeave()}
          fallback={
            <button type="button" class="secondary danger" onClick={() => setConfirmLeave(true)}>
              {t('chats.leave')}
            </button>
          }
        >
          <p role="alert">{t('chats.leaveConfirm')}</p>
          <div class="row">
            <button
              type="button"
              class="danger"
              disabled={busy()}
              onClick={async () => {
                if ((await work(() => actions.call('chats.leave', { conversationId }))) !== undefined) navigate('/chats');
              }}
            >
              {t('chats.leave')}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirmLeave(false)}>
              {t('form.cancel')}
            </button>
          </div>
        </Show>
      </Show>
    </Dialog>
  );
}

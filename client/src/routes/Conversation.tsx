// /chats/:conversationId: one conversation. History shows the newest page first and older pages
// as the user scrolls up; live messages join in seq order (state/conversation.ts); the newest
// messages on screen move the read pointer. Own messages show their receipt, pending and failed
// (with retry) states. A message request shows accept and decline; details and search sit in the
// header. A one-to-one can be end-to-end encrypted (either person turns it on, for both): a banner
// says exactly what that protects; nothing goes out in clear while it is on (a message waits, with
// the reason shown, until the keys are there); a new key of the peer's shows a warning and holds
// messages until the user accepts it; the info panel shows the safety number to compare.
import { useNavigate, useParams } from '@solidjs/router';
import { ChevronLeft, Info, Lock, Search } from 'lucide-solid';
import { createEffect, createMemo, createResource, createSignal, For, type JSX, on, onCleanup, onMount, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { type Envelope, type SealedFile, safetyNumber } from '../../../protocol/e2ee.ts';
import { CallButtons, JoinCallButton } from '../components/call/CallButtons.tsx';
import { ChatComposer } from '../components/chat/ChatComposer.tsx';
import { ChatInfo } from '../components/chat/ChatInfo.tsx';
import { describeSystem, receiptText, typingText } from '../components/chat/format.ts';
import { MessageItem, PendingAttachments } from '../components/chat/MessageItem.tsx';
import { SearchDialog } from '../components/chat/SearchDialog.tsx';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { IconButton } from '../components/ui/Button.tsx';
import { locale, t } from '../i18n/index.ts';
import { createConversation, EDIT_WINDOW_MS } from '../state/conversation.ts';
import { createKeyTrust, type Held, type PeerKeyState, sendMode } from '../state/e2eeTrust.ts';
import { type ChatMessage, canEdit, ordered, receiptOf } from '../state/messageLog.ts';
import { actions, errorText, state } from '../state/store.ts';
import { chatName } from './Chats.tsx';

const NEAR_EDGE_PX = 48;
const PEER_KEY_RETRY_MS = 4000;

export default function Conversation(): JSX.Element {
  const params = useParams<{ conversationId: string }>();
  return (
    <Show when={params.conversationId} keyed>
      {(conversationId) => <ConversationView conversationId={conversationId} />}
    </Show>
  );
}

function ConversationView(props: { conversationId: string }): JSX.Element {
  const navigate = useNavigate();
  const c = createConversation(props.conversationId);
  const { conv } = c;
  const me = () => state.user?.id ?? '';
  const messages = createMemo(() => ordered(conv.messages));
  const [replyTo, setReplyTo] = createSignal<ChatMessage | undefined>();
  const [editing, setEditing] = createSignal<ChatMessage | undefined>();
  const [panel, setPanel] = createSignal<'info' | 'search' | undefined>();
  const [highlight, setHighlight] = createSignal<number | undefined>();
  let list: HTMLOListElement | undefined;
  let atBottom = true;

  const nameOf = (userId: string | null): string => {
    if (userId === null) return t('chats.someone');
    if (userId === me()) return state.user?.username ?? '';
    const member = conv.members.find((each) => each.person.id === userId);
    if (member !== undefined) return member.person.displayName || member.person.username;
    const peer = conv.chat?.peer;
    return peer?.id === userId ? peer.displayName || peer.username : t('chats.someone');
  };
  const describe = (message: ChatMessage) => describeSystem(message, nameOf);
  const isGroup = () => conv.chat?.kind === 'group';
  const isAdmin = () => conv.chat?.me.role === 'admin';
  const isRequest = () => conv.chat?.me.state === 'request';
  const others = () => conv.members.filter((member) => member.person.id !== me());

  // End-to-end encryption, one-to-one only: on when the conversation is marked encrypted (the
  // server then refuses plaintext). The keys are read while it is on, or to read encrypted messages.
  const encrypted = () => conv.chat?.kind === 'direct' && conv.chat.encrypted;
  const hasEncrypted = () => messages().some((message) => message.kind === 'encrypted' && message.deletedAt === null);
  // The peer's keys are asked again when they publish one this device has not seen.
  const [keysAsked, setKeysAsked] = createSignal(0);
  const keysTried = new Set<string>();
  const [cipher] = createResource(
    () => {
      const peer = conv.chat?.peer;
      return peer !== null && peer !== undefined && (encrypted() || hasEncrypted()) ? { peerId: peer.id, asked: keysAsked() } : undefined;
    },
    async ({ peerId }) => (await import('../state/e2ee.ts')).createCipher(props.conversationId, me(), peerId),
  );
  const ready = () => (cipher.loading || cipher.error !== undefined ? undefined : cipher());
  const cipherState = () =>
    cipher.loading ? 'loading' : cipher.error !== undefined ? 'failed' : ready() === undefined ? 'noPeerKey' : 'ready';
  // Encrypted and the peer has no key yet: ask again now and then (their device makes one when
  // they open the conversation), so waiting messages can go as soon as it is there.
  createEffect(() => {
    if (!encrypted() || cipherState() !== 'noPeerKey') return;
    const timer = setTimeout(() => setKeysAsked((asked) => asked + 1), PEER_KEY_RETRY_MS);
    onCleanup(() => clearTimeout(timer));
  });
  // The peer's newest key against the one this device accepted before (the first one seen is).
  const trust = createKeyTrust(localStorage, me());
  const [peerKey, setPeerKey] = createSignal<PeerKeyState | undefined>();
  createEffect(() => {
    const keys = ready();
    setPeerKey(keys === undefined || !encrypted() ? undefined : trust.check(props.conversationId, keys.peerPublicKey));
  });
  const acceptKey = () => {
    const keys = ready();
    if (keys === undefined) return;
    trust.accept(props.conversationId, keys.peerPublicKey);
    setPeerKey('trusted');
  };
  const [safety] = createResource(
    () => {
      const keys = ready();
      const peer = conv.chat?.peer;
      return keys !== undefined && peer !== null && peer !== undefined && encrypted() ? { keys, peerId: peer.id } : undefined;
    },
    ({ keys, peerId }) => safetyNumber({ userId: me(), publicKey: keys.ownPublicKey }, { userId: peerId, publicKey: keys.peerPublicKey }),
  );
  const [plain, setPlain] = createStore<Record<number, Envelope | null>>({});
  createEffect(() => {
    if (cipher.loading) return;
    const keys = ready();
    for (const message of messages()) {
      const content = message.encrypted;
      if (content === null || message.deletedAt !== null || (plain[message.seq] ?? null) !== null) continue;
      const theirKey = message.senderId === me() ? content.recipientKeyId : content.senderKeyId;
      if ((keys === undefined || !keys.knows(theirKey)) && !keysTried.has(theirKey) && cipher.error === undefined) {
        keysTried.add(theirKey);
        setKeysAsked((asked) => asked + 1);
        return;
      }
      if (keys === undefined) {
        setPlain(message.seq, null);
        continue;
      }
      void keys.decrypt(message).then((opened) => {
        if (ready() === keys) setPlain(message.seq, opened);
      });
    }
  });
  const peerName = () => chatName(conv.chat ?? { kind: 'direct', name: null, peer: null });
  const heldText = (reason: Held) =>
    reason === 'loading'
      ? t('chats.e2eeLoading')
      : reason === 'unsupported'
        ? t('chats.e2eeUnsupported')
        : reason === 'noPeerKey'
          ? t('chats.e2eeNoPeerKey', { name: peerName() })
          : t('chats.e2eeHeldForKey', { name: peerName() });
  const decided = () => sendMode({ encrypted: encrypted(), cipher: cipherState(), peerKey: peerKey() });
  /** Why messages wait now (the key-change warning says it for a new key). */
  const waiting = () => {
    const now = decided();
    return now.mode === 'held' && now.reason !== 'loading' && now.reason !== 'keyChanged' ? heldText(now.reason) : undefined;
  };
  const [confirmOff, setConfirmOff] = createSignal(false);
  const seal = async (file: Blob) => (await import('../state/e2ee.ts')).sealFile(file);

  const timeOf = (iso: string) => new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });

  const scrollToEnd = () => {
    if (list !== undefined) list.scrollTop = list.scrollHeight;
  };
  const readIfVisible = () => {
    if (atBottom && document.visibilityState === 'visible' && conv.loaded) c.markRead();
  };
  const onScroll = async () => {
    if (list === undefined) return;
    atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_EDGE_PX;
    readIfVisible();
    if (list.scrollTop < NEAR_EDGE_PX && conv.olderMore && !conv.loadingOlder) {
      const before = list.scrollHeight - list.scrollTop;
      await c.loadOlder();
      // Keep the message the user was reading where it was.
      list.scrollTop = list.scrollHeight - before;
    }
  };

  onMount(() => {
    onCleanup(c.start());
    const onVisible = () => readIfVisible();
    document.addEventListener('visibilitychange', onVisible);
    onCleanup(() => document.removeEventListener('visibilitychange', onVisible));
  });
  // New messages (or pending ones) at the end: follow them when the user was at the end.
  createEffect(
    on([() => messages().length, () => conv.pending.length, () => conv.loaded], () => {
      if (!atBottom) return;
      queueMicrotask(() => {
        scrollToEnd();
        readIfVisible();
      });
    }),
  );

  const jump = async (seq: number) => {
    if (!(await c.reach(seq))) return;
    atBottom = false;
    queueMicrotask(() => {
      document.getElementById(`message-${seq}`)?.scrollIntoView({ block: 'center' });
      setHighlight(seq);
      setTimeout(() => setHighlight(undefined), 2000);
    });
  };

  /** False when the message cannot go now (the composer keeps the draft): never in clear once encrypted. */
  const send = (text: string, attachments: string[] = [], files: SealedFile[] = []): boolean => {
    const edited = editing();
    if (edited !== undefined) {
      void c.edit(edited.seq, text).then((done) => done && setEditing(undefined));
      return true;
    }
    const how = decided();
    if (how.mode === 'held') {
      actions.toast(heldText(how.reason), 'error');
      if (how.reason === 'noPeerKey') setKeysAsked((asked) => asked + 1);
      return false;
    }
    const answer = replyTo()?.seq;
    setReplyTo(undefined);
    atBottom = true;
    if (how.mode === 'plain') return c.send(text, answer, undefined, attachments);
    const keys = ready();
    if (keys === undefined) return false;
    keys.encrypt({ text, files }).then(
      (sealed) => c.send(text, answer, sealed, attachments),
      (error: unknown) => actions.toast(errorText(error), 'error'),
    );
    return true;
  };

  const composerContext = () => {
    const edited = editing();
    if (edited !== undefined)
      return { label: t('chats.editing'), preview: edited.text, cancelLabel: t('chats.cancelEdit'), onCancel: () => setEditing(undefined) };
    const answered = replyTo();
    if (answered === undefined) return undefined;
    const preview = answered.kind === 'encrypted' ? (plain[answered.seq]?.text ?? '…') : answered.text;
    return {
      label: t('chats.replyingTo', { name: nameOf(answered.senderId) }),
      preview,
      cancelLabel: t('chats.cancelReply'),
      onCancel: () => setReplyTo(undefined),
    };
  };

  const respond = async (accept: boolean) => {
    if (accept) {
      const chat = await c.run(() => actions.call('chats.accept', { conversationId: props.conversationId }));
      if (chat !== undefined) c.setChat(chat);
      return;
    }
    if ((await c.run(() => actions.call('chats.decline', { conversationId: props.conversationId }))) !== undefined) {
      actions.toast(t('chats.declined'));
      navigate('/chats');
    }
  };

  const typingLine = () => typingText(c.typing().map((id) => nameOf(id)));

  return (
    <section class="card conversation" aria-labelledby="conversation-title" data-testid="conversation">
      <header class="conversation-head">
        <IconButton icon={ChevronLeft} label={t('chats.back')} href="/chats" class="back flip-rtl" />
        <div class="who">
          <h1 id="conversation-title">{conv.chat === undefined ? '…' : chatName(conv.chat)}</h1>
          <Show when={isGroup()}>
            <small class="hint">{t('chats.groupMembers', { count: conv.chat?.memberCount ?? 0 })}</small>
          </Show>
        </div>
        <Show when={conv.chat !== undefined && !conv.gone}>
          <Show when={isGroup()}>
            <JoinCallButton conversationId={props.conversationId} />
          </Show>
          <CallButtons conversationId={props.conversationId} name={conv.chat === undefined ? '' : chatName(conv.chat)} />
        </Show>
        <IconButton icon={Search} label={t('chats.search')} onClick={() => setPanel('search')} />
        <IconButton icon={Info} label={t('chats.info')} onClick={() => setPanel('info')} />
      </header>

      <Show when={conv.chat?.kind === 'direct'}>
        <section class="e2ee" aria-label={t('chats.e2ee')} data-testid="e2ee">
          <Show
            when={encrypted()}
            fallback={
              <>
                <p class="hint">{t('chats.e2eeOffHint')}</p>
                <button type="button" class="secondary" disabled={conv.gone} onClick={() => void c.setEncryption(true)}>
                  🔒 {t('chats.e2eeTurnOn')}
                </button>
              </>
            }
          >
            <Show when={waiting()}>
              <p role="status" class="hint" data-testid="e2ee-status">
                {waiting()}
              </p>
            </Show>
            {/* One line while it is on (the conversation needs the room); what it protects, and turning it off, when opened. */}
            <details class="e2ee-details">
              <summary>
                <Lock size={14} aria-hidden="true" /> {t('chats.e2ee')}
              </summary>
              <p data-testid="e2ee-banner">🔒 {t('chats.e2eeProtected')}</p>
              <Show
                when={confirmOff()}
                fallback={
                  <button type="button" class="link" onClick={() => setConfirmOff(true)}>
                    {t('chats.e2eeTurnOff')}
                  </button>
                }
              >
                <p role="alert">{t('chats.e2eeConfirmOff', { name: peerName() })}</p>
                <button
                  type="button"
                  class="secondary danger"
                  onClick={() => {
                    setConfirmOff(false);
                    void c.setEncryption(false);
                  }}
                >
                  {t('chats.e2eeTurnOff')}
                </button>
                <button type="button" class="secondary" onClick={() => setConfirmOff(false)}>
                  {t('form.cancel')}
                </button>
              </Show>
            </details>
          </Show>
        </section>
      </Show>

      <Show when={peerKey() === 'changed'}>
        <section role="alert" class="key-changed" data-testid="e2ee-key-changed">
          <p>⚠️ {t('chats.e2eeKeyChanged', { name: peerName() })}</p>
          <div class="row">
            <button type="button" class="secondary" onClick={() => setPanel('info')}>
              {t('chats.e2eeViewCode')}
            </button>
            <button type="button" onClick={acceptKey}>
              {t('chats.e2eeAccept')}
            </button>
          </div>
        </section>
      </Show>

      <Show when={isRequest()}>
        <section class="request-banner" aria-label={t('chats.requests')} data-testid="request-banner">
          <p>{t('chats.requestBanner', { name: conv.chat === undefined ? '' : chatName(conv.chat) })}</p>
          <div class="row">
            <button type="button" onClick={() => void respond(true)}>
              {t('chats.accept')}
            </button>
            <button type="button" class="secondary danger" onClick={() => void respond(false)}>
              {t('chats.decline')}
            </button>
          </div>
        </section>
      </Show>

      <Show when={conv.gone}>
        <p role="alert" class="error" data-testid="chat-gone">
          {t('chats.gone')}
        </p>
      </Show>
      <ErrorAlert text={conv.gone ? undefined : conv.error} />

      <ol class="messages" ref={list} onScroll={() => void onScroll()} aria-label={t('chats.messages')} data-testid="messages" tabindex="0">
        <Show when={conv.olderMore}>
          <li class="older">
            <button type="button" class="secondary" disabled={conv.loadingOlder} onClick={() => void c.loadOlder()}>
              {conv.loadingOlder ? t('form.working') : t('chats.loadOlder')}
            </button>
          </li>
        </Show>
        <Show when={conv.loaded && messages().length === 0 && conv.pending.length === 0}>
          <li class="hint system-line">{t('chats.noMessages')}</li>
        </Show>
        <For each={messages()}>
          {(message) => {
            const mine = () => message.senderId === me();
            return (
              <MessageItem
                message={message}
                mine={mine()}
                highlighted={highlight() === message.seq}
                senderName={isGroup() && !mine() ? nameOf(message.senderId) : undefined}
                nameOf={nameOf}
                plain={plain[message.seq]}
                systemText={message.kind === 'system' ? describe(message) : ''}
                receipt={mine() && conv.chat !== undefined ? receiptText(receiptOf(message.seq, conv.chat.kind, others())) : undefined}
                time={timeOf(message.createdAt)}
                actions={{
                  reply: conv.gone ? undefined : () => setReplyTo(message),
                  react: conv.gone ? undefined : (emoji) => void c.react(message.seq, emoji),
                  edit: !encrypted() && canEdit(message, me(), Date.now(), EDIT_WINDOW_MS) ? () => setEditing(message) : undefined,
                  remove: mine() || (isGroup() && isAdmin()) ? () => void c.remove(message.seq) : undefined,
                  pin: isGroup() && isAdmin() ? (pinned) => void c.pin(message.seq, pinned) : undefined,
                }}
              />
            );
          }}
        </For>
        <For each={conv.pending}>
          {(item) => (
            <li class={`bubble mine ${item.state}`} data-testid="pending-message" data-state={item.state}>
              <p class="text">
                <Show when={item.encrypted}>
                  <span role="img" aria-label={t('chats.encryptedMark')}>
                    🔒{' '}
                  </span>
                </Show>
                {item.text}
              </p>
              <PendingAttachments ids={item.attachments} />
              <div class="meta">
                <Show when={item.state === 'failed'} fallback={<span>{t('chats.sending')}</span>}>
                  <span role="alert">{t('chats.failed', { reason: item.error ?? '' })}</span>{' '}
                  <button type="button" class="link" onClick={() => c.retry(item.clientId)}>
                    {t('chats.retry')}
                  </button>{' '}
                  <button type="button" class="link" onClick={() => c.discard(item.clientId)}>
                    {t('chats.discard')}
                  </button>
                </Show>
              </div>
            </li>
          )}
        </For>
      </ol>

      <p class="typing hint" aria-live="polite" data-testid="typing">
        {typingLine()}
      </p>

      <Show when={!conv.gone && !isRequest()}>
        <Show
          when={conv.canSend}
          fallback={
            <p class="hint" role="status" data-testid="not-accepting">
              {t('chats.notAccepting', { name: conv.chat === undefined ? '' : chatName(conv.chat) })}
            </p>
          }
        >
          <ChatComposer
            onSend={send}
            seal={encrypted() ? seal : undefined}
            onTyping={() => c.typed()}
            context={composerContext()}
            initial={editing()?.text}
            submitLabel={editing() === undefined ? undefined : t('chats.save')}
          />
        </Show>
      </Show>

      <Show when={panel() === 'info'}>
        <ChatInfo
          conversation={c}
          onClose={() => setPanel(undefined)}
          describe={describe}
          onJump={(seq) => void jump(seq)}
          safety={
            encrypted()
              ? {
                  digits: safety.error === undefined ? safety() : undefined,
                  peerName: peerName(),
                  changed: peerKey() === 'changed',
                  onAccept: acceptKey,
                }
              : undefined
          }
        />
      </Show>
      <Show when={panel() === 'search'}>
        <SearchDialog conversationId={props.conversationId} onClose={() => setPanel(undefined)} onJump={(seq) => void jump(seq)} />
      </Show>
    </section>
  );
}

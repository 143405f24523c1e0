// The sheet that rings on every open tab and device of the user (`call.incoming` on `user:<id>`):
// who calls (their avatar and name; a group call names the group too), voice or video, accept
// and decline. It goes at `call.cancelled` (answered or declined elsewhere, missed, hung up). Not
// modal: the user may go on reading; focus moves to it when it appears, and it is announced.
import { Phone, PhoneOff, Video } from 'lucide-solid';
import { createResource, For, type JSX, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { type Call, call, callActions } from '../../state/call.ts';
import { actions, errorText } from '../../state/store.ts';
import { Avatar } from '../Person.tsx';
import { Button } from '../ui/Button.tsx';

export function IncomingCalls(): JSX.Element {
  return <For each={call.incoming.filter((each) => each.id !== call.current?.id)}>{(ringing) => <IncomingCall call={ringing} />}</For>;
}

function IncomingCall(props: { call: Call }): JSX.Element {
  let sheet: HTMLElement | undefined;
  const [chat] = createResource(
    () => props.call.conversationId,
    (conversationId) => actions.call('chats.get', { conversationId }),
  );
  const caller = () => {
    const detail = chat();
    if (detail === undefined) return undefined;
    if (detail.chat.kind === 'direct' && detail.chat.peer !== null) return detail.chat.peer;
    return detail.members.find((member) => member.person.id === props.call.startedBy)?.person;
  };
  const callerName = () => {
    const person = caller();
    return person === undefined ? '…' : person.displayName || person.username;
  };
  const group = () => (chat()?.chat.kind === 'group' ? (chat()?.chat.name ?? '') : undefined);
  const titleId = `incoming-${props.call.id}`;
  onMount(() => sheet?.focus());
  const run = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      actions.toast(errorText(error), 'error');
    }
  };
  return (
    <section
      ref={sheet}
      class="incoming-call card"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={`${titleId}-kind`}
      tabindex="-1"
      data-testid="incoming-call"
    >
      <Avatar name={callerName()} mediaId={caller()?.avatarMediaId ?? null} large />
      <div class="incoming-call-text">
        <h2 id={titleId}>
          <bdi>{callerName()}</bdi>
        </h2>
        <p id={`${titleId}-kind`} class="hint">
          {props.call.video ? t('calls.incomingVideo') : t('calls.incomingVoice')}
          <Show when={group()}>{(name) => <> · {t('calls.inGroup', { group: name() })}</>}</Show>
        </p>
      </div>
      <div class="incoming-call-actions">
        <Button
          variant="danger"
          icon={PhoneOff}
          disabled={call.pending}
          onClick={() => void run(() => callActions.decline(props.call.id))}
          data-testid="call-decline"
        >
          {t('calls.decline')}
        </Button>
        <Button
          icon={props.call.video ? Video : Phone}
          disabled={call.pending}
          onClick={() => void run(() => callActions.accept(props.call.id))}
          data-testid="call-accept"
        >
          {t('calls.accept')}
        </Button>
      </div>
    </section>
  );
}

// The voice and video call buttons of a conversation's header and of a person's profile. A
// refusal is said plainly: a call already going on in the conversation offers to join it (a
// one-to-one's is answered), and the others (in another call, not allowed, calls off) are toasts.
import { Phone, PhoneIncoming, Video } from 'lucide-solid';
import { createResource, type JSX, Show } from 'solid-js';
import { ProtocolError } from '../../../../protocol/client.ts';
import { t } from '../../i18n/index.ts';
import { call, callActions } from '../../state/call.ts';
import { actions, errorText } from '../../state/store.ts';
import { Button, IconButton } from '../ui/Button.tsx';

/** Enters a call in progress: answered in a one-to-one, joined in a group. */
async function enterCall(callId: string): Promise<void> {
  try {
    const found = await actions.call('calls.get', { callId });
    if (found.kind === 'direct') await callActions.accept(callId);
    else await callActions.join(callId);
  } catch (error) {
    actions.toast(errorText(error), 'error');
  }
}

/** The text (and the join offer) for a refused call start. */
function startRefusal(error: unknown): { text: string; joinCallId?: string } {
  if (error instanceof ProtocolError) {
    if (error.code === 'CALL_IN_PROGRESS') {
      const callId = (error.details as { callId?: unknown } | undefined)?.callId;
      return typeof callId === 'string' ? { text: t('error.CALL_IN_PROGRESS'), joinCallId: callId } : { text: t('error.CALL_IN_PROGRESS') };
    }
    if (error.code === 'MESSAGE_NOT_ALLOWED') return { text: t('calls.notAllowed') };
  }
  return { text: errorText(error) };
}

/** Starts a call in `conversationId` (or, resolved on click, the conversation with someone). */
async function startCall(conversationId: string | (() => Promise<string | null>), video: boolean): Promise<void> {
  try {
    const id = typeof conversationId === 'string' ? conversationId : await conversationId();
    if (id === null) {
      actions.toast(t('calls.messageFirst'), 'error');
      return;
    }
    await callActions.start(id, video);
  } catch (error) {
    const refusal = startRefusal(error);
    const joinCallId = refusal.joinCallId;
    if (joinCallId === undefined) actions.toast(refusal.text, 'error');
    else actions.toast(refusal.text, 'info', { label: t('calls.join'), run: () => void enterCall(joinCallId) });
  }
}

/**
 * "Join" for a group's call in progress that this device is not in: read from the user's call
 * history (a call that rang them), again whenever a ring starts or stops or this device's call
 * changes. Someone added to the group after the call started learns of it from CALL_IN_PROGRESS.
 */
export function JoinCallButton(props: { conversationId: string }): JSX.Element {
  const [live] = createResource(
    () => ({ conversationId: props.conversationId, rings: call.incoming.length, current: call.current?.id }),
    async ({ conversationId }) => {
      const { items } = await actions.call('calls.history', { limit: 20 });
      return items.find((each) => each.conversationId === conversationId && each.state !== 'ended' && each.id !== call.current?.id);
    },
  );
  return (
    <Show when={live.latest}>
      {(found) => (
        <Button size="sm" icon={PhoneIncoming} disabled={call.pending} onClick={() => void enterCall(found().id)} data-testid="call-join">
          {t('calls.join')}
        </Button>
      )}
    </Show>
  );
}

export function CallButtons(props: {
  conversationId: string | (() => Promise<string | null>);
  name: string;
  disabled?: boolean;
}): JSX.Element {
  const off = () => props.disabled === true || call.pending || call.current !== undefined;
  return (
    <>
      <IconButton
        icon={Phone}
        label={t('calls.startVoice', { name: props.name })}
        disabled={off()}
        onClick={() => void startCall(props.conversationId, false)}
        data-testid="call-voice"
      />
      <IconButton
        icon={Video}
        label={t('calls.startVideo', { name: props.name })}
        disabled={off()}
        onClick={() => void startCall(props.conversationId, true)}
        data-testid="call-video"
      />
    </>
  );
}

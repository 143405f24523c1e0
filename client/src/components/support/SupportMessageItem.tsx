// One message of the reader's support conversation: theirs at the end, the team's at the start with
// the agent's name; the text isolated for bidi, and when it was sent.
import type { JSX } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { formatRelative, t } from '../../i18n/index.ts';

export type SupportMessage = CallResponse<'support.send'>['message'];

export function SupportMessageItem(props: { message: SupportMessage }): JSX.Element {
  const mine = () => props.message.author === 'user';
  const sender = () =>
    mine()
      ? t('support.you')
      : props.message.agentName === null
        ? t('support.team')
        : t('support.agent', { name: props.message.agentName });
  return (
    <li class={`bubble support-message${mine() ? ' mine' : ''}`} data-testid="support-message" data-author={props.message.author}>
      <div class="sender">{sender()}</div>
      <p class="text" dir="auto">
        {props.message.text}
      </p>
      <div class="meta">
        <time datetime={props.message.createdAt}>{formatRelative(props.message.createdAt)}</time>
      </div>
    </li>
  );
}

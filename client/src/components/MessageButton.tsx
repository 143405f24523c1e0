// "Message" on someone's profile: opens the conversation with them, or a new one
// (/chats/with/:username sends the first message with `to`).
import { A } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { t } from '../i18n/index.ts';

export function MessageButton(props: { username: string; name: string }): JSX.Element {
  return (
    <A class="button" href={`/chats/with/${encodeURIComponent(props.username)}`} data-testid="message-button">
      {t('chats.message')}
      <span class="visually-hidden"> {props.name}</span>
    </A>
  );
}

// Someone as lists show them: the avatar (their photo, or the initial of their name while it
// loads or when they have none), the display name with the verification badge, and the username, linking to the
// profile.
import { A } from '@solidjs/router';
import { type JSX, Show } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { t } from '../i18n/index.ts';
import { mediaItem } from '../state/media.ts';
import { Picture } from './media/Picture.tsx';

export type Person = CallResponse<'people.search'>['items'][number];

export function Avatar(props: { name: string; mediaId: string | null; large?: boolean }): JSX.Element {
  const photo = () => {
    const item = props.mediaId === null ? undefined : mediaItem(props.mediaId);
    return item?.status === 'ready' && item.kind === 'image' ? item : undefined;
  };
  return (
    <span class={props.large ? 'avatar large' : 'avatar'} aria-hidden="true" data-media-id={props.mediaId ?? undefined}>
      <Show when={photo()} fallback={[...props.name.trim()][0]?.toUpperCase() ?? '?'}>
        {(item) => <Picture item={item()} layout={props.large ? 'avatar-large' : 'avatar'} alt="" />}
      </Show>
    </span>
  );
}

export function VerifiedBadge(props: { verified: boolean }): JSX.Element {
  return (
    <Show when={props.verified}>
      <span class="verified" role="img" aria-label={t('profile.verified')} title={t('profile.verified')}>
        ✓
      </span>
    </Show>
  );
}

/** One row of a people list; `children` are its actions. */
export function PersonRow(props: { person: Person; children?: JSX.Element; detail?: JSX.Element }): JSX.Element {
  return (
    <li class="person" data-testid={`person-${props.person.username}`}>
      <Avatar name={props.person.displayName || props.person.username} mediaId={props.person.avatarMediaId} />
      <div class="who">
        <A href={`/u/${encodeURIComponent(props.person.username)}`}>
          <strong>
            <bdi>{props.person.displayName || props.person.username}</bdi>
          </strong>
        </A>
        <VerifiedBadge verified={props.person.verified} />
        <br />
        <small class="hint">@{props.person.username}</small>
        <Show when={props.detail}>
          <br />
          <small class="hint">{props.detail}</small>
        </Show>
      </div>
      <Show when={props.children}>
        <div class="actions">{props.children}</div>
      </Show>
    </li>
  );
}

// Someone as lists show them: the avatar (their photo, or the initial of their name while it
// loads or when they have none), the display name with its badges (verified, the plan's), and the
// username, linking to the profile.
import { A } from '@solidjs/router';
import { BadgeCheck, Crown, Gem } from 'lucide-solid';
import { For, type JSX, Show } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { t } from '../i18n/index.ts';
import { mediaItem } from '../state/media.ts';
import { Picture } from './media/Picture.tsx';

export type Person = CallResponse<'people.search'>['items'][number];
type Badge = Person['badges'][number];

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

const BADGE_ICONS = { verified: BadgeCheck, premium: Gem, pro: Crown } as const;
const BADGE_LABELS = { verified: 'profile.verified', premium: 'badge.premium', pro: 'badge.pro' } as const;

/** The marks next to a name (verified, the Premium or Pro plan's), each an icon with its name spoken and as its tooltip. */
export function Badges(props: { badges: readonly Badge[] }): JSX.Element {
  return (
    <Show when={props.badges.length > 0}>
      <span class="badges" data-testid="badges">
        <For each={props.badges}>
          {(badge) => (
            <span
              class={`badge-mark ${badge}`}
              role="img"
              aria-label={t(BADGE_LABELS[badge])}
              title={t(BADGE_LABELS[badge])}
              data-badge={badge}
            >
              <Dynamic component={BADGE_ICONS[badge]} size={16} aria-hidden="true" />
            </span>
          )}
        </For>
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
        <Badges badges={props.person.badges} />
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
